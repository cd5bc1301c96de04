"""Messages of meter readings: self-reading, CSV import, review (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "readings.below_previous": (
        "Odczyt {value} jest niższy niż poprzedni odczyt {previous} z dnia {date}. "
        "Sprawdź wskazanie licznika; jeśli licznik wymieniono, skontaktuj się z nami.",
        "The reading {value} is lower than the previous reading {previous} of {date}. "
        "Check the meter; if the meter was replaced, please contact us.",
    ),
    "readings.refused": (
        "Odczyt nie został przyjęty.",
        "The reading was not accepted.",
    ),
    "readings.bad_value": (
        "Podaj wskazanie licznika jako liczbę nieujemną (najwyżej 3 miejsca po przecinku).",
        "Enter the meter value as a non-negative number (at most 3 decimal places).",
    ),
    "readings.future_date": (
        "Data odczytu nie może być z przyszłości.",
        "The reading date cannot be in the future.",
    ),
    "readings.too_old": (
        "Odczyt można podać najwyżej {days} dni wstecz.",
        "A reading can be at most {days} days old.",
    ),
    "readings.later_exists": (
        "Istnieje już późniejszy odczyt tego licznika (z dnia {date}).",
        "A later reading of this meter exists already (of {date}).",
    ),
    "readings.already_submitted": (
        "Odczyt tego licznika z tego dnia został już podany z innymi wartościami.",
        "A reading of this meter for this day was already submitted with other values.",
    ),
    "readings.unknown_register": (
        "Ten licznik nie ma takiego rejestru.",
        "This meter has no such register.",
    ),
    "readings.unknown_meter": ("Nieznany numer licznika.", "Unknown meter number."),
    "readings.bad_date": (
        "Data odczytu ma postać RRRR-MM-DD.",
        "The reading date must be YYYY-MM-DD.",
    ),
    "readings.csv_header": (
        "Plik CSV musi mieć nagłówek z kolumnami serial i read_on oraz kolumnami rejestrów "
        "(heat_gj, water_m3, total, day, night).",
        "The CSV file needs a header with the columns serial and read_on and register "
        "columns (heat_gj, water_m3, total, day, night).",
    ),
    "readings.csv_empty": ("Plik CSV nie zawiera odczytów.", "The CSV file has no readings."),
    "readings.csv_too_large": (
        "Plik CSV może mieć najwyżej {rows} wierszy.",
        "The CSV file can have at most {rows} rows.",
    ),
    "readings.csv_encoding": (
        "Plik CSV musi być zapisany w UTF-8.",
        "The CSV file must be UTF-8 encoded.",
    ),
    "readings.conflict": (
        "Istnieje już inny odczyt tego licznika z tego dnia.",
        "Another reading of this meter exists for this day.",
    ),
    "readings.duplicate_row": (
        "Ten sam licznik i dzień występują w pliku więcej niż raz.",
        "The same meter and day appear more than once in the file.",
    ),
    "readings.not_in_review": (
        "Ten odczyt nie czeka na weryfikację.",
        "This reading is not waiting for review.",
    ),
    "readings.accepted": ("Odczyt przyjęty.", "Reading accepted."),
    "readings.in_review": (
        "Odczyt znacznie odbiega od dotychczasowego zużycia i został przekazany do "
        "weryfikacji. Skontaktujemy się, jeśli będzie potrzebne wyjaśnienie.",
        "The reading differs a lot from your usual consumption and was passed on for "
        "review. We will contact you if we need to clarify it.",
    ),
    "readings.staff_reason_required": (
        "Odczyt wprowadzany za klienta wymaga podania przyczyny.",
        "A reading entered for the customer needs a reason.",
    ),
    "readings.customer_reading_exists": (
        "Klient podał już własny odczyt z tego dnia; ma on pierwszeństwo.",
        "The customer already gave their own reading for that day; it takes precedence.",
    ),
    "readings.four_eyes_same_person": (
        "Odczyt wprowadzony przez pracownika weryfikuje inna osoba.",
        "A reading entered by staff is reviewed by another person.",
    ),
}
