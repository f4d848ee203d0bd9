"""Fields whose loading says what the API document says of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from marshmallow import fields, validate


class StrictBoolean(fields.Boolean):
    """A JSON boolean and nothing else, for request bodies: marshmallow's Boolean also takes
    0/1, "yes", "on", "true"..., so `{"email": 0}` was accepted where the document (and the
    API) means `true`/`false`. Query strings keep fields.Boolean: they are text."""

    truthy = {True}
    falsy = {False}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 1 == True and hash(1) == hash(True): refuse first
            raise self.make_error("invalid", input=value)
        return value


class StrictInteger(fields.Integer):
    """A JSON integer and nothing else, for request bodies: marshmallow's Integer also takes
    2.5 (as 2), "7" and, even with strict=True, true (bool is an int in Python), where the
    document (and the API) means an integer. Query strings keep fields.Integer: they are text."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class OneOfDeclared(validate.Validator):
    """validate.OneOf over choices read when a value is checked, such as the roles the installed
    apps declare: a lambda did the same, but the API document could not see its choices; this
    one shows them as the field's enum (apispec reads `choices`)."""

    def __init__(self, choices: Callable[[], Iterable[str]]):
        self._choices = choices

    @property
    def choices(self) -> list[str]:
        return list(self._choices())

    def __call__(self, value):
        return validate.OneOf(self.choices)(value)


class LengthDeclared(validate.Validator):
    """validate.Length whose maximum is read when a value is checked (the number of declared
    roles), shown in the API document as minItems/maxItems (apispec reads min, max, equal)."""

    equal = None

    def __init__(self, min: int, max: Callable[[], int]):
        self.min = min
        self._max = max

    @property
    def max(self) -> int:
        return self._max()

    def __call__(self, value):
        return validate.Length(min=self.min, max=self.max)(value)
