from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Speak a signed-in user's preferred language unless they chose another one in this browser.

    LocaleMiddleware has already picked a language from the language cookie or the browser;
    the user's profile wins over the browser's Accept-Language, the cookie wins over both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chose_in_browser = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        if (
            user is not None
            and user.is_authenticated
            and user.preferred_language
            and not chose_in_browser
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
