"""The partner REST API, version 1 (`/api/v1/`): authentication by API key, the access
policy as permissions, OParl-style list envelopes with keyset paging, conditional requests,
one error shape, throttling, the deletions feed and the router that gathers every app's
`api/` package."""
