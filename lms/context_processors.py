from lms.navigation import collect_entries


def navigation(request):
    """The signed-in user's navigation entries, from every app (lms/navigation.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    return {"nav_entries": collect_entries(request)}
