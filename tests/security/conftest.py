import pytest
from django.test import Client

from tests.cache import clear_test_cache
from tests.diagnostics.conftest import instrument, open_round  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def english_and_fresh_cache(settings):
    """Messages are asserted in English; cached pages of one test never serve the next."""
    settings.LANGUAGE_CODE = "en"
    clear_test_cache()
    yield
    clear_test_cache()


@pytest.fixture
def attacker():
    """A client that answers with the 500 page instead of raising, as a browser would see it."""

    def signed_in(user=None):
        client = Client(raise_request_exception=False, headers={"accept-language": "en"})
        if user is not None:
            client.force_login(user)
        return client

    return signed_in
