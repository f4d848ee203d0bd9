"""Request-body fields load what the API document says of them, and nothing else."""

import pytest
from marshmallow import ValidationError

from services.complaints.contract import AttributeSchema
from services.jobcards.contract import ApplicationCreateSchema
from services.notifications.contract import PreferenceUpdateSchema, SendTestSchema


@pytest.mark.parametrize("value", [2.5, 2.0, "7", True, None])
def test_an_integer_in_a_body_is_a_json_integer(value):
    with pytest.raises(ValidationError) as refused:
        SendTestSchema().load({"user_id": value})
    assert list(refused.value.messages) == ["user_id"]


def test_a_json_integer_is_loaded_as_it_is():
    assert SendTestSchema().load({"user_id": 7})["user_id"] == 7


@pytest.mark.parametrize(
    ("schema", "field", "others"),
    [
        (AttributeSchema, "order", {"code": "a", "datatype": "string", "description": "A"}),
        (ApplicationCreateSchema, "graduation_year", {}),
    ],
)
def test_the_other_body_integers_refuse_a_float_naming_the_field(schema, field, others):
    with pytest.raises(ValidationError) as refused:
        schema().load(others | {field: 2000.5})
    assert refused.value.messages[field] == ["Harus berupa bilangan bulat."]


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_a_boolean_in_a_body_is_a_json_boolean(value):
    with pytest.raises(ValidationError) as refused:
        PreferenceUpdateSchema().load({"email": value})
    assert list(refused.value.messages) == ["email"]
