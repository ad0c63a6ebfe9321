from bpdialogue.access import policy_for


def viewer(request):
    """What the site frame needs to know about the viewer: whether to link the workspace."""
    user = getattr(request, "user", None)
    return {"viewer_is_secretariat": bool(user and policy_for(user).is_secretariat)}
