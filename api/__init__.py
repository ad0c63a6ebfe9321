"""The partner API's URL map (/api/v1/): every app's viewsets, wired. The plumbing they share
(keys, paging, errors, ETags) is the core's, bpdialogue/api/."""
