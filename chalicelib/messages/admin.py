"""Messages of the administration area (registrations review, customer data, logins)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "admin.not_pending": (
        "To zgłoszenie zostało już rozpatrzone.",
        "This registration has already been decided.",
    ),
    "admin.customer_unknown": (
        "Nie ma klienta o tym numerze.",
        "There is no customer with this number.",
    ),
    "admin.nip_mismatch": (
        "NIP klienta nie zgadza się z NIP-em zgłoszenia.",
        "The customer's NIP differs from the registration's NIP.",
    ),
    "admin.manager_unknown": (
        "Nie ma takiego opiekuna klienta.",
        "There is no such account manager.",
    ),
    "admin.customer_or_manager": (
        "Wskaż istniejącego klienta albo opiekuna nowego klienta.",
        "Choose an existing customer or the account manager of a new one.",
    ),
    "admin.changed_meanwhile": (
        "Dane zmieniły się w międzyczasie. Odśwież stronę i spróbuj ponownie.",
        "The data changed meanwhile. Reload the page and try again.",
    ),
    "admin.no_changes": ("Nie wprowadzono zmian.", "Nothing was changed."),
    "admin.self": (
        "Nie możesz wyłączyć własnego konta.",
        "You cannot disable your own login.",
    ),
    "admin.field_not_applicable": (
        "To pole nie dotyczy tego rodzaju klienta.",
        "This field does not apply to this kind of customer.",
    ),
    "admin.login_unknown": ("Nie ma takiego loginu.", "There is no such login."),
    "admin.buyer_incomplete": (
        "Nabywca (gmina) wymaga nazwy, NIP i adresu — podaj wszystkie trzy albo żadnego.",
        "The buyer (municipality) needs its name, NIP and address: give all three or none.",
    ),
    "admin.role_has_no_customers": (
        "Ta rola nie ma przypisanych kont klienta.",
        "This role has no customer accounts.",
    ),
}
