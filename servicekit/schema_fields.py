"""Fields whose loading says what the API document says of them."""

from __future__ import annotations

from marshmallow import fields


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
