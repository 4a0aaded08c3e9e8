"""The client's own utility agrees with the server's."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.agenda import Agenda
from clients.utility import Utility
from service.domain.preferences import build_preferences
from tests.generators import agendas, packages, preference_documents


def client_agenda(agenda):
    return Agenda(agenda.specs())


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_client_utility_agrees_with_the_servers(data):
    agenda = data.draw(agendas())
    document = data.draw(preference_documents(agenda))
    package = data.draw(packages(agenda, full=True))
    server = build_preferences(document, agenda)
    client = Utility(document, client_agenda(agenda))
    assert client(package) == pytest.approx(server.utility(package))
