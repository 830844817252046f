"""Realistic SME personas scored with the bundled questionnaire (2.0): the outcome a trainer would expect.

Each expectation was worked out by hand from the persona's answers and the
points in questionnaires/tdap-alibaba-cbec.yaml (see questionnaires/README.md
for the method); the comments give the reasoning, not the program's output.
Dimension scores below are earned / possible points of the questions shown,
cut (never rounded up) to one decimal; the overall score is the weighted mean of
those dimension scores over the dimensions that were assessed, cut the same way.
Weights: product_market 15, registration 15, platform 20, payments 20,
logistics 15, team 15. Levels: not_ready 0, getting_started 35,
almost_ready 60, export_ready 80. Action order: gate actions first, then
impact (high first), effort (low first), time frame, file order (the actions
are listed product_market, registration, platform, payments, logistics, team);
the plan then fills the 30-day phase with at most five of them, so the "first
five" below are the 30-day steps when at least five actions are 30-day ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cbectool import resources
from cbectool.response import load_response
from cbectool.scoring import evaluate

PERSONAS = Path(__file__).parent / "data" / "personas"


@dataclass(frozen=True)
class Expected:
    level: str  # the overall level after gates
    band_level: str  # the level the score alone gives
    weakest: str  # the assessed dimension with the lowest score
    gates: frozenset[str]
    top_five: frozenset[str]  # actions that must be among the first five
    also_recommended: frozenset[str] = frozenset()
    not_recommended: frozenset[str] = frozenset()  # advice that would be wrong for this business
    not_assessed: frozenset[str] = frozenset()  # dimensions whose every question was skipped


EXPECTED = {
    # Ali Sports Works, Sialkot: a mature Alibaba.com supplier (B2B, cargo and courier).
    # product 34/37 = 91.8 (capacity "with effort" 2/4, own costs but not the landed cost 3/4);
    # registration 32/33 = 96.9 (trademark only in Pakistan 2/3); platform 30/32 = 93.7 (listings
    # "some" 2/4; 18-hour replies are within Alibaba's 24-hour standard: full 4/4); payments 30/32
    # = 93.7 (FCY account and Trade Assurance capped at 10/10, e-commerce registration not
    # applicable for a cargo exporter, refunds case by case 1/3); logistics 25/25 = 100 (3 days
    # from a ready order to dispatch: the made-to-order production time no longer counts);
    # team 22/24 = 91.6 (records in chats 1/3) -> weakest.
    # Mean 0.15 x (91.8 + 96.9 + 100 + 91.6) + 0.20 x (93.7 + 93.7) = 94.5: export_ready, no gate.
    # Actions: costing (high, low, 30) and listings (high, medium, 30) lead; then the medium-impact,
    # low-effort records (30) and refund policy (60).
    "sialkot-sports-alibaba": Expected(
        level="export_ready",
        band_level="export_ready",
        weakest="team",
        gates=frozenset(),
        top_five=frozenset({"export_costing_sheet", "complete_listings", "buyer_records", "write_refund_policy"}),
        also_recommended=frozenset({"plan_capacity", "protect_brand_abroad"}),
        not_recommended=frozenset({"reply_within_24_hours", "faster_dispatch", "weboc_ecommerce_registration"}),
    ),
    # Khewra Salt Traders: a one-year-old start-up selling bulk pink salt on social media only.
    # The NTN is only applied for (no_ntn gate), and the only "channel" is PayPal, which does not
    # serve Pakistani businesses (no_payment_channel gate). Never paid from abroad, so the
    # informal-route, proceeds and proof questions are "not applicable".
    # payments 0/29 = 0.0 -> weakest; product 11/34 = 32.3, registration 5/33 = 15.1, platform
    # 13/27 = 48.1, logistics 6/19 = 31.5, team 9/24 = 37.5. Mean 27.0: not_ready already.
    # The two gate actions come first; PayPal in the answer adds the "legal ways to be paid" action;
    # bulk salt adds the value-addition action.
    "khewra-pink-salt-startup": Expected(
        level="not_ready",
        band_level="not_ready",
        weakest="payments",
        gates=frozenset({"no_payment_channel", "no_ntn"}),
        top_five=frozenset({"get_ntn", "open_foreign_payment_account", "quality_checklist"}),
        also_recommended=frozenset({"explain_paypal_alternatives", "add_value_to_raw_goods", "first_small_export"}),
        not_recommended=frozenset({"stop_informal_payments"}),
    ),
    # Lahore Threads: a good Daraz and social-media seller of lawn suits at home (B2C), never
    # shipped abroad. platform 24/29 = 82.7 (complete listings, 2-hour replies, neutral review
    # requests; reach "domestic only" 2/6); team 20/24 = 83.3; registration 16/33 = 48.4;
    # product 13/34 = 38.2 (labels and textile lab reports missing); payments 10/29 = 34.4 (a bank
    # account that receives payments from abroad is legal: 6/10, so no gate); logistics 4/25 = 16.0
    # (no shipments, no PCT code, local packing, courier registration and the buyer's import taxes
    # unclear) -> weakest. Mean 51.3: getting_started.
    # High-impact, low-effort, 30-day actions in file order: quality checklist and costing
    # (product), WeBOC e-commerce registration and safe terms (payments), PCT code (logistics).
    "lahore-garments-daraz": Expected(
        level="getting_started",
        band_level="getting_started",
        weakest="logistics",
        gates=frozenset(),
        top_five=frozenset(
            {
                "quality_checklist",
                "export_costing_sheet",
                "weboc_ecommerce_registration",
                "safe_payment_terms",
                "find_pct_code",
            }
        ),
        also_recommended=frozenset(
            {"plan_destination_taxes", "material_safety_tests", "try_amazon", "domestic_to_export_listing"}
        ),
    ),
    # Bosan Mango Farms, Multan: a grower whose mangoes exporters ship every year (an indirect
    # exporter), paid in rupees. Its exports through exporters count fully in product readiness
    # (5/5): product 16/40 = 40.0 (no food papers, samples or costing). No way to receive money
    # from abroad -> no_payment_channel gate; payments 0/22 = 0.0 -> weakest (refund policy
    # skipped: nothing sold online); platform 1/15 = 6.6; registration 15/33 = 45.4; logistics
    # 8/26 = 30.7 (cold chain "partly"); team 7/24 = 29.1. Mean 23.1: not_ready.
    # The gate action comes first; then quality checks, costing, photos and English sheets.
    "multan-mango-grower": Expected(
        level="not_ready",
        band_level="not_ready",
        weakest="payments",
        gates=frozenset({"no_payment_channel"}),
        top_five=frozenset({"open_foreign_payment_account", "quality_checklist", "export_costing_sheet"}),
        also_recommended=frozenset(
            {"find_own_buyers", "food_export_papers", "perishable_export_chain", "learn_incoterms"}
        ),
        not_recommended=frozenset({"first_small_export"}),
    ),
    # Qissa Khwani Craft Collective, Peshawar: women artisans selling to diaspora buyers on social
    # media, paid through relatives into a JazzCash wallet, no NTN, nobody writes English.
    # All four gates fire: a wallet is not a legal export channel, money comes through relatives,
    # no NTN, English "none". registration 2/33 = 6.0 -> weakest; payments 7/36 = 19.4, product
    # 10/34 = 29.4, platform 15/27 = 55.5, logistics 8/24 = 33.3, team 7/24 = 29.1. Mean 29.6.
    # The five gate actions fill the top five.
    "peshawar-handicraft-collective": Expected(
        level="not_ready",
        band_level="not_ready",
        weakest="registration",
        gates=frozenset({"no_payment_channel", "informal_payment_route", "no_ntn", "no_english_contact"}),
        top_five=frozenset(
            {
                "get_ntn",
                "open_foreign_payment_account",
                "stop_informal_payments",
                "english_reply_templates",
                "find_english_helper",
            }
        ),
        also_recommended=frozenset({"women_entrepreneur_support", "explain_paypal_alternatives", "register_business"}),
    ),
    # Faisalabad Home Linen: Amazon and web-shop seller of towels, paid through Payoneer and Amazon
    # payouts into its own account (legal, 10/10), registered in WeBOC's e-commerce module.
    # product 27/34 = 79.4; registration 26/33 = 78.7; platform 23/29 = 79.3 (20-hour replies earn
    # full points now, but asking only happy buyers for reviews earns 0/2); payments 29/36 = 80.5
    # (no plan for rate changes, no payment proofs); logistics 15/28 = 53.5 (Incoterms not named,
    # only the 6-digit HS code, 5 days to dispatch, the buyer's import taxes unclear) -> weakest,
    # just below team 13/24 = 54.1. Mean 71.8: almost_ready, no gate.
    # High-impact, low-effort, 30-day actions in file order: quality checklist, costing, PCT code,
    # destination taxes, a named export lead.
    "faisalabad-home-textiles-amazon": Expected(
        level="almost_ready",
        band_level="almost_ready",
        weakest="logistics",
        gates=frozenset(),
        top_five=frozenset(
            {"quality_checklist", "export_costing_sheet", "find_pct_code", "plan_destination_taxes", "name_export_lead"}
        ),
        also_recommended=frozenset({"collect_reviews", "learn_incoterms", "b2b2c_warehouse_rules"}),
        not_recommended=frozenset({"open_foreign_payment_account", "reply_within_24_hours"}),
    ),
    # Hamza Leather Gloves, Sialkot: a strong Amazon seller whose shop is in a relative's name
    # abroad; the relative sends the money home to Hamza's bank account.
    # No storefront credit for that shop: account 0/4 and own-name reach 0/6, so platform 19/29 =
    # 65.5. payments 20/36 = 55.5 (all money through someone else 0/3, no WeBOC registration, no
    # deadline tracking, no proofs) -> weakest. product 33/34 = 97.0, registration 27/33 = 81.8,
    # logistics and team 100. Mean 81.0 (export_ready by score), but the informal route caps the
    # level at getting_started. The bank account itself is legal, so no_payment_channel does not fire.
    # Gate action first; then costing, choosing a marketplace in its own name, WeBOC and payouts.
    "sialkot-gloves-amazon-shadow": Expected(
        level="getting_started",
        band_level="export_ready",
        weakest="payments",
        gates=frozenset({"informal_payment_route"}),
        top_five=frozenset({"stop_informal_payments", "weboc_ecommerce_registration", "marketplace_payouts"}),
        also_recommended=frozenset({"move_accounts_to_own_name", "track_proceeds_deadlines"}),
        not_recommended=frozenset({"open_foreign_payment_account"}),
    ),
    # --- New in 2.0 ---------------------------------------------------------------------------
    # Karachi Pixel Studio: a digital seller (website templates, logo design) on a freelance
    # marketplace and its own site, paid through Payoneer into its own account, PSEB applied for.
    # Nothing physical ships, so every logistics question is skipped and logistics is "not
    # assessed"; the STRN, PSW, REX, certificate, label and WeBOC questions are skipped too.
    # product 21/28 = 75.0; registration 13/24 = 54.1 (no chamber, TDAP or trademark; PSEB only
    # applied 1/3) -> weakest; platform 27/29 = 93.1; payments 22/30 = 73.3 (Payoneer 5/10);
    # team 23/24 = 95.8. Mean over the five assessed dimensions (weights 85):
    # (15 x 75.0 + 15 x 54.1 + 20 x 93.1 + 20 x 73.3 + 15 x 95.8) / 85 = 78.8: almost_ready.
    # No gate: Payoneer into its own account is legal. Top five: costing (high, low), target markets
    # and listings (high, medium), then TDAP and PSEB (medium, low, 30). No shipping advice at all.
    "karachi-digital-templates": Expected(
        level="almost_ready",
        band_level="almost_ready",
        weakest="registration",
        gates=frozenset(),
        top_five=frozenset(
            {"export_costing_sheet", "choose_target_markets", "complete_listings", "connect_with_tdap", "register_pseb"}
        ),
        also_recommended=frozenset({"ask_esfca", "women_entrepreneur_support"}),
        not_recommended=frozenset(
            {
                "find_pct_code",
                "export_packaging",
                "trial_shipment",
                "weboc_ecommerce_registration",
                "subscribe_psw",
                "open_foreign_payment_account",
            }
        ),
        not_assessed=frozenset({"logistics"}),
    ),
    # Wazirabad Cutlery Works: an indirect exporter. Sialkot exporters ship its knives every year;
    # it has no foreign buyers and no online shop of its own.
    # Its proven export-grade production counts in product readiness: exports through exporters
    # 5/5, written quality checks 4/4, MOQ and samples ready: product 27/37 = 72.9. The gap is the
    # platform: no online shop, no own-name reach 0/6, some photos: 1/15 = 6.6 -> weakest.
    # registration 19/30 = 63.3 (trademark not applicable: it makes for its buyers' brands);
    # payments 6/22 = 27.2 (its bank account can receive payments from abroad, so no gate);
    # logistics 12/19 = 63.1; team 14/24 = 58.3. Mean 45.4: getting_started.
    # "Plan a first export" is not advised (its goods already go abroad); "find your own buyers" is.
    "wazirabad-cutlery-indirect": Expected(
        level="getting_started",
        band_level="getting_started",
        weakest="platform",
        gates=frozenset(),
        top_five=frozenset({"export_costing_sheet", "product_photos", "choose_first_marketplace"}),
        also_recommended=frozenset({"find_own_buyers", "material_safety_tests", "open_alibaba_storefront"}),
        not_recommended=frozenset({"first_small_export", "register_trademark"}),
    ),
    # Medisurge Instruments, Sialkot: a B2B cargo exporter of surgical instruments on Alibaba.com
    # (Gold Supplier, Trade Assurance, FCY account). It answers in 20 hours and makes to order
    # (about 45 days), but hands a ready order to the forwarder in 2 days.
    # Under Alibaba's 24-hour standard the 20-hour replies earn 4/4 (1.0 gave 2/4), and the
    # made-to-order time is not dispatch time, so dispatch earns 4/4 (counting production would
    # have earned 0/4). product 33/38 = 86.8 (medical-device registration for some markets only 2/4,
    # capacity "with effort") -> weakest; registration 32/33 = 96.9; platform 30/32 = 93.7 (no
    # weekly RFQs); payments 31/32 = 96.8; logistics 25/25 = 100; team 21/24 = 87.5.
    # Mean 93.7: export_ready, no gate.
    "sialkot-surgical-alibaba-b2b": Expected(
        level="export_ready",
        band_level="export_ready",
        weakest="product_market",
        gates=frozenset(),
        top_five=frozenset({"export_costing_sheet", "medical_device_rules", "answer_rfqs_weekly", "buyer_records"}),
        also_recommended=frozenset({"plan_capacity", "protect_brand_abroad"}),
        not_recommended=frozenset({"reply_within_24_hours", "faster_dispatch", "upgrade_alibaba_membership"}),
    ),
    # Phulkari Ghar, Rawalpindi: hand embroidery sold on Etsy through a shop in the owner's sister's
    # name in the UK; the sister sends the money home. Etsy does not pay sellers in Pakistan.
    # No storefront credit: account 0/4 and own-name reach 0/6 although listings, replies and
    # reviews are good: platform 18/29 = 62.0. All money through someone else fires the
    # informal-route gate. registration 12/33 = 36.3 -> weakest; product 18/34 = 52.9; payments
    # 20/36 = 55.5; logistics 20/27 = 74.0; team 22/24 = 91.6. Mean 61.7 (almost_ready by score),
    # capped at getting_started by the gate.
    "rawalpindi-phulkari-etsy-relative": Expected(
        level="getting_started",
        band_level="almost_ready",
        weakest="registration",
        gates=frozenset({"informal_payment_route"}),
        top_five=frozenset({"stop_informal_payments", "quality_checklist", "choose_first_marketplace"}),
        also_recommended=frozenset({"move_accounts_to_own_name", "etsy_not_for_pakistan", "use_registered_courier"}),
        not_recommended=frozenset({"open_foreign_payment_account", "collect_reviews"}),
    ),
}


def test_there_are_at_least_eleven_personas_and_each_has_expectations() -> None:
    files = {path.stem for path in PERSONAS.glob("*.json")}
    assert len(files) >= 11
    assert files == set(EXPECTED)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_persona_outcome(persona: str) -> None:
    expected = EXPECTED[persona]
    response = load_response(PERSONAS / f"{persona}.json")
    assert response.questionnaire.id == "tdap-alibaba-cbec"
    evaluated = evaluate(response, resources.load("tdap-alibaba-cbec"))
    assessment = evaluated.assessment
    assert evaluated.warnings == []

    assert assessment.overall.level == expected.level
    assert assessment.overall.band_level == expected.band_level
    assert set(assessment.gates) == expected.gates

    assert {dimension.id for dimension in assessment.dimensions if dimension.score is None} == expected.not_assessed
    scored = [dimension for dimension in assessment.dimensions if dimension.score is not None]
    lowest = min(dimension.score or 0.0 for dimension in scored)
    assert [dimension.id for dimension in scored if dimension.score == lowest] == [expected.weakest]

    recommended = [action.id for action in assessment.actions]
    assert expected.top_five <= set(recommended[:5]), recommended[:5]
    assert expected.also_recommended <= set(recommended)
    assert not expected.not_recommended & set(recommended)
    gate_actions = {
        action for gate in evaluated.questionnaire.gates if gate.id in expected.gates for action in gate.actions
    }
    assert set(recommended[: len(gate_actions)]) == gate_actions
