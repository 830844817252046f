"""Plain-English definitions of the trade terms a report may use.

Only well-established meanings, written for an owner who reads English as a
second language. The report prints the entries whose term its own text uses,
so the glossary stays short and relevant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cbectool.i18n import N_, gettext


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    term: str
    definition: str


# (term, definition, words that show the report uses it: matched as whole words, case-sensitive
# for abbreviations so that "psw" in an id or "moq" in a sentence does not count by accident)
_ENTRIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        N_("Authorized Dealer (AD) bank"),
        N_(
            "A bank that the State Bank of Pakistan allows to deal in foreign currency. Export payments "
            "from abroad must come in through such a bank."
        ),
        ("Authorized Dealer", "Authorised Dealer"),
    ),
    (
        N_("B2B / B2C"),
        N_(
            "Business-to-business (you sell to other businesses, often in bulk) and business-to-consumer "
            "(you sell to the person who uses the product)."
        ),
        ("B2B", "B2C"),
    ),
    (
        N_("Certificate of origin"),
        N_(
            "A document that states in which country the goods were made. Chambers of commerce issue it; "
            "some buyers and countries ask for it, for example to apply lower import duties."
        ),
        ("certificate of origin", "Certificate of Origin"),
    ),
    (
        N_("FBR"),
        N_("Federal Board of Revenue: Pakistan's tax and customs authority. It issues the NTN and runs customs."),
        ("FBR",),
    ),
    (
        N_("Freight forwarder"),
        N_("A company that arranges the transport of goods for you, by sea or air, and often the paperwork too."),
        ("freight forwarder", "Freight forwarder", "forwarder"),
    ),
    (
        N_("Goods Declaration (GD)"),
        N_("The customs form that declares goods for export or import. In Pakistan it is filed in WeBOC."),
        ("Goods Declaration", "GD"),
    ),
    (
        N_("GSP+"),
        N_(
            "The European Union's Generalised Scheme of Preferences Plus: lower or zero EU import duties on "
            "many goods from Pakistan."
        ),
        ("GSP+", "GSP"),
    ),
    (
        N_("HS code"),
        N_(
            "Harmonized System code: the international 6-digit number that classifies a product for customs. "
            "The World Customs Organization maintains it and almost every country uses it."
        ),
        ("HS",),
    ),
    (
        N_("Incoterms"),
        N_(
            "Standard trade terms of the International Chamber of Commerce (for example EXW, FOB, CIF, DDP). "
            "Each says who pays for transport, insurance and duties, and where the risk passes from seller to buyer."
        ),
        ("Incoterms", "Incoterm", "EXW", "FOB", "CIF", "DDP"),
    ),
    (
        N_("MOQ"),
        N_("Minimum order quantity: the smallest order a supplier accepts."),
        ("MOQ", "minimum order quantity", "Minimum order quantity"),
    ),
    (
        N_("NTN"),
        N_(
            "National Tax Number: the tax registration number that FBR gives a person or a business. "
            "Exporters need it, for example to register with customs and banks."
        ),
        ("NTN",),
    ),
    (
        N_("PCT code"),
        N_(
            "Pakistan Customs Tariff code: Pakistan's 8-digit code for a product. Its first 6 digits are the "
            "international HS code. Customs uses it to decide duties and rules."
        ),
        ("PCT",),
    ),
    (
        N_("PSW"),
        N_(
            "Pakistan Single Window: the government's online portal where traders file import and export "
            "documents for customs, banks and other agencies in one place."
        ),
        ("PSW", "Pakistan Single Window"),
    ),
    (
        N_("RFQ"),
        N_(
            "Request for quotation: a buyer asks suppliers to offer a price for stated goods and quantities. "
            "On Alibaba.com buyers post RFQs that suppliers can answer."
        ),
        ("RFQ", "RFQs", "request for quotation", "Request for quotation"),
    ),
    (
        N_("SBP"),
        N_("State Bank of Pakistan: the central bank. It sets the rules for receiving payments from abroad."),
        ("SBP", "State Bank"),
    ),
    (
        N_("SECP"),
        N_("Securities and Exchange Commission of Pakistan: it registers companies."),
        ("SECP",),
    ),
    (
        N_("TDAP"),
        N_(
            "Trade Development Authority of Pakistan: the government body that promotes exports, for example "
            "with trade fairs and e-commerce programmes."
        ),
        ("TDAP",),
    ),
    (
        N_("Trade Assurance"),
        N_(
            "Alibaba.com's order protection: the buyer pays through Alibaba.com and is protected if the goods "
            "or the delivery do not match what was agreed. It helps new suppliers win the trust of buyers."
        ),
        ("Trade Assurance",),
    ),
    (
        N_("WeBOC"),
        N_("Web-Based One Customs: Pakistan Customs' online system for declaring and clearing goods."),
        ("WeBOC",),
    ),
)


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


GLOSSARY: tuple[tuple[GlossaryEntry, re.Pattern[str]], ...] = tuple(
    (GlossaryEntry(term, definition), _pattern(words)) for term, definition, words in _ENTRIES
)


def glossary_for(text: str, lang: str = "en") -> tuple[GlossaryEntry, ...]:
    """The entries whose term the English ``text`` uses, in ``lang``, in the alphabetical order of their English terms
    (the same order in every language: most terms are abbreviations that stay in Latin letters)."""
    used = sorted(
        (entry for entry, pattern in GLOSSARY if pattern.search(text)), key=lambda entry: entry.term.casefold()
    )
    return tuple(GlossaryEntry(gettext(entry.term, lang), gettext(entry.definition, lang)) for entry in used)


def all_entries() -> tuple[GlossaryEntry, ...]:
    return tuple(entry for entry, _ in GLOSSARY)
