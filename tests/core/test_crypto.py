"""ID numbers at rest: ciphertext, keyed digest and mask; never the clear value in a column."""

import pytest
from django.db import connection

from kexie.core import crypto
from kexie.members.models import Person

ID = "11010519491231002X"


def test_round_trip_and_fresh_nonce():
    a, b = crypto.encrypt(ID), crypto.encrypt(ID)
    assert a != b and ID not in a
    assert crypto.decrypt(a) == crypto.decrypt(b) == ID
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_digest_is_keyed_and_case_blind(settings):
    d = crypto.digest(ID)
    assert d == crypto.digest(ID.lower()) and len(d) == 64
    settings.KEXIE_FIELD_KEY = "another key"
    assert crypto.digest(ID) != d


@pytest.mark.django_db
def test_person_never_stores_the_clear_number():
    person = Person.objects.create(name="张三", id_number=ID.lower())
    person.refresh_from_db()
    assert person.id_number == ID
    assert person.id_masked == "1101**********002X"
    assert Person.objects.get(id_digest=crypto.digest(ID)) == person
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_person WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    assert not any(ID in str(v) for v in row)
