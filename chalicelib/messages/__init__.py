"""Message catalogues, one module per area (``chalicelib/messages/<area>.py``).

Each module defines ``MESSAGES: dict[str, tuple[str, str]]`` (Polish, English) with keys
prefixed by the area (``invoices.not_found``). ``chalicelib.i18n`` loads every module of this
package before it renders the first message, whichever service the process imported, so a
lazily loaded service can never leave a raw key in front of a customer.
"""
