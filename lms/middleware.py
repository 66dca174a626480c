import csp.constants
import csp.middleware
import csp.utils
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


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, except that the site's own policy, which every response without a
    policy of its own carries, is built once rather than on every response (0.1 ms a request,
    most of a 204 autosave's middleware time). Anything else (a view's update or replace, a
    nonce, a report-only policy, exempt or excluded paths, DEBUG's error pages) goes the
    library's own way."""

    _built: tuple = (None, "")  # (the settings' policy, the header built from it)

    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        own = (
            getattr(response, "_csp_config", None),
            getattr(response, "_csp_update", None),
            getattr(response, "_csp_replace", None),
            getattr(request, "_csp_nonce", None),
            getattr(response, "_csp_exempt", False),
        )
        if (
            any(own)
            or not policy
            or policy.get("EXCLUDE_URL_PREFIXES")
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.DEBUG
            or csp.constants.HEADER in response
        ):
            return super().process_response(request, response)
        built_for, header = CSPMiddleware._built
        if built_for is not policy:  # the settings changed (a test's override_settings)
            header = csp.utils.build_policy()
            CSPMiddleware._built = (policy, header)
        if header:
            response[csp.constants.HEADER] = header
        # As the library does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
