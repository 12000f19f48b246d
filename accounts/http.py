"""Request types for login-required views."""

from core.http import HtmxHttpRequest

from .models import User


class UserRequest(HtmxHttpRequest):
    """A request to a `@login_required` view: `user` is our User, never anonymous.

    Annotate such a view's `request: UserRequest`; the decorator is what makes it true.
    """

    user: User
