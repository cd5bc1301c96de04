"""Deciles of a group and a home's place among them (domain.consumption)."""

from __future__ import annotations

from decimal import Decimal as D

from chalicelib.domain import consumption as c


def test_deciles_and_position() -> None:
    values = [D(v) for v in range(1, 12)]  # 11 homes: 1..11
    cuts = c.decile_cuts(values)
    assert cuts == [
        D(str(x))
        for x in ("2.000", "3.000", "4.000", "5.000", "6.000", "7.000", "8.000", "9.000", "10.000")
    ]
    assert c.peer_position(D(1), 11, cuts) == c.PeerPosition(10, 1, 0, 10)
    assert c.peer_position(D("5.5"), 11, cuts) == c.PeerPosition(10, 5, 40, 50)
    assert c.peer_position(D(11), 11, cuts) == c.PeerPosition(10, 10, 90, 100)


def test_fewer_than_ten_others_show_nothing() -> None:
    values = [D(v) for v in range(1, 11)]  # the home and 9 others
    assert c.peer_position(D(3), 10, c.decile_cuts(values)) is None
    assert c.decile_cuts([D(1)]) == []
