"""Messages of the registration area (online for individuals, by documents for institutions)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "registration.mismatch": (
        "Podane dane nie zgadzają się z naszymi danymi. Sprawdź je i spróbuj ponownie "
        "albo skontaktuj się z Biurem Obsługi Klienta.",
        "The details do not match our records. Check them and try again, or contact our "
        "customer service office.",
    ),
    "registration.regulations": (
        "Zaakceptuj aktualny regulamin e-BOK.",
        "Please accept the current e-BOK regulations.",
    ),
    "registration.regulations_version": (
        "Regulamin e-BOK zmienił się. Zapoznaj się z aktualną wersją.",
        "The e-BOK regulations have changed. Please read the current version.",
    ),
    "registration.not_found": ("Nie znaleziono zgłoszenia.", "Registration not found."),
    "registration.not_draft": (
        "To zgłoszenie zostało już wysłane.",
        "This registration has already been submitted.",
    ),
    "registration.pending_exists": (
        "Zgłoszenie dla tego numeru NIP czeka już na weryfikację.",
        "A registration for this NIP is already waiting for review.",
    ),
    "registration.document_missing": (
        "Brak wymaganego dokumentu.",
        "A required document is missing.",
    ),
    "registration.document_not_uploaded": (
        "Plik nie został przesłany.",
        "The file has not been uploaded.",
    ),
    "registration.document_too_large": (
        "Plik jest większy niż 10 MB.",
        "The file is larger than 10 MB.",
    ),
    "registration.document_type": (
        "Dozwolone są tylko pliki PDF, JPEG i PNG.",
        "Only PDF, JPEG and PNG files are accepted.",
    ),
    "registration.documents_invalid": (
        "Co najmniej jeden dokument nie spełnia wymagań.",
        "At least one document does not meet the requirements.",
    ),
    "registration.exists": (
        "To konto klienta ma już dostęp do e-BOK. Zaloguj się lub użyj opcji „Nie pamiętam hasła”.",
        "This customer account already has e-BOK access. Log in or use “Forgot password”.",
    ),
}
