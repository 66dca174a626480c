"""A list of integer ids in one column.

PostgreSQL stores it as `integer[]`, which search unnests and tests with `&&` far faster than
JSON; SQLite (the embedded mode) stores the same list as JSON text, which it reads with
`json_each`.
"""

import json

from django.db import models


class IdListField(models.Field):
    description = "A list of integer ids"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        ids = [int(item) for item in value]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return [int(item) for item in json.loads(value)]
