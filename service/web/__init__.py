"""The web side: static pages that run in the browser on the REST API, like any other client."""
