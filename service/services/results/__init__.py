"""The typed results of the services: one type per noun, the API's response schemas."""
