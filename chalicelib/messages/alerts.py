"""Messages of the alerts area (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "alerts.city_not_covered": (
        "SMS Alert jest dostępny tylko dla obiektów w miejscowościach: {cities}. "
        "Obiekt „{premises}” leży w miejscowości {city}.",
        "SMS Alert is available only for premises in: {cities}. "
        "The premises “{premises}” is in {city}.",
    ),
    "alerts.premises_unknown": (
        "Nie ma takiego obiektu na tym koncie klienta.",
        "There is no such premises on this customer account.",
    ),
    "alerts.phone_required": (
        "Podaj numer telefonu komórkowego, na który mają przychodzić SMS-y.",
        "Give the mobile number the SMS should go to.",
    ),
    "alerts.not_pending": (
        "Ta prośba o SMS Alert nie czeka na włączenie (stan: {status}).",
        "This SMS Alert request is not waiting to be switched on (state: {status}).",
    ),
    "alerts.no_manager": (
        "To konto nie ma przypisanego opiekuna klienta, który mógłby włączyć SMS Alert.",
        "This account has no account manager who could switch the SMS Alert on.",
    ),
}
