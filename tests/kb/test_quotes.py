"""Quotes: the sentences an answer relies on, and its figures that no cited passage holds."""

from __future__ import annotations

from desktop_chat.kb.quotes import annotate, find_quantities, find_quotes, split_sentences

REFUNDS = (
    "We issue your refund within 5 business days after the return reaches our warehouse, to "
    "the original payment method. Your bank or card issuer may need another 3 to 7 days to "
    "show the money on your account. Original shipping costs are refunded only when you "
    "return the whole order."
)
REFUNDS_5_7 = "Refunds are processed in 5–7 business days. Store credit is issued at once."
ZH_REFUNDS = "退货到达仓库后，我们在5个工作日内退款。银行可能还需要3到7天到账。运费不退。"
SHIPPING = "Orders ship within 24 hours on working days. Delivery costs €4.95."


def quoted(result_quotes: list[tuple[int, int]], passage: str) -> list[str]:
    return [passage[start:end] for start, end in result_quotes]


def test_sentences_split_in_english_and_chinese_without_breaking_decimals() -> None:
    text = "It costs €3.95 today. Really?  Yes!\n- a list item\n退款很快。银行需要三天！好"
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == [
        "It costs €3.95 today.",
        "Really?",
        "Yes!",
        "- a list item",
        "退款很快。",
        "银行需要三天！",
        "好",
    ]


def test_refunds_in_24_hours_against_five_to_seven_business_days_is_flagged() -> None:
    answer = "Refunds take 24 hours [1]."
    result = find_quotes(answer, [REFUNDS_5_7])
    assert [c.text for c in result.unsupported] == ["24 hours"]
    claim = result.unsupported[0]
    assert answer[claim.start : claim.end] == "24 hours"
    # The cited passage still shows the sentence the answer garbled, for comparison.
    assert quoted(result.quotes[0], REFUNDS_5_7) == ["Refunds are processed in 5–7 business days."]


def test_a_faithful_answer_quotes_the_sentences_it_relies_on_and_flags_nothing() -> None:
    answer = (
        "Your refund is issued within 5 business days after the return reaches the "
        "warehouse [1]. Your bank may need another 3 to 7 days to show it [1]."
    )
    result = find_quotes(answer, [REFUNDS, SHIPPING])
    assert result.unsupported == []
    assert quoted(result.quotes[0], REFUNDS) == [
        "We issue your refund within 5 business days after the return reaches our warehouse,"
        " to the original payment method.",
        "Your bank or card issuer may need another 3 to 7 days to show the money on your account.",
    ]
    assert result.quotes[1] == []  # not cited: nothing highlighted there


def test_an_uncited_sentence_is_matched_against_every_passage() -> None:
    answer = "Orders ship within 24 hours on working days."
    result = find_quotes(answer, [REFUNDS, SHIPPING])
    assert result.quotes[0] == []
    assert quoted(result.quotes[1], SHIPPING) == ["Orders ship within 24 hours on working days."]
    assert result.unsupported == []


def test_chinese_answer_quotes_and_flags_a_chinese_numeral() -> None:
    answer = "退款需要二十四小时[1]。"
    result = find_quotes(answer, [ZH_REFUNDS])
    assert [c.text for c in result.unsupported] == ["二十四小时"]
    good = find_quotes("我们会在5个工作日内退款[1]，银行还需要3到7天[1]。", [ZH_REFUNDS])
    assert good.unsupported == []
    assert quoted(good.quotes[0], ZH_REFUNDS)[0] == "退货到达仓库后，我们在5个工作日内退款。"


def test_units_and_notations_are_normalised() -> None:
    passage = "Support answers within 24 hours. Returns cost ¥99. Open 9:00–18:00. 50% off."
    for answer in (
        "Support replies within 24h.",
        "Support replies within 1 day.",
        "Support replies within 二十四小时.",
        "Support replies within twenty-four hours.",
        "Returns cost 99元.",
        "Open 9am to 6pm.",
        "Half price: 百分之五十.",
    ):
        assert find_quotes(answer, [passage]).unsupported == [], answer
    flagged = find_quotes("Returns cost ¥199, open until 7pm, 40% off, 2 weeks.", [passage])
    assert [c.text for c in flagged.unsupported] == ["¥199", "7pm", "40%", "2 weeks"]


def test_markers_list_numbers_and_number_words_without_units_are_not_figures() -> None:
    text = "1. Open Account [2]\n2. Pick one of the orders, 一些 统一\nWait two weeks."
    assert [(q.kind, q.values) for q in find_quantities(text)] == [("week", ("2",))]


def test_dates_match_across_notations() -> None:
    passage = "The sale ends on 5月1日."
    assert find_quotes("The sale ends 2025-05-01.", [passage]).unsupported == []
    assert find_quotes("The sale ends May 1.", [passage]).unsupported == []
    assert [c.text for c in find_quotes("Ends June 3.", [passage]).unsupported] == ["June 3"]


def test_annotate_numbers_citations_and_checks_against_the_shown_ones() -> None:
    citations = [{"id": "a#1", "text": SHIPPING}, {"id": "b#2", "text": REFUNDS}]
    answer = "Refunds take 5 business days [2]."
    annotated, claims = annotate(answer, citations, shown=[1])
    assert [c["number"] for c in annotated] == [1, 2]
    assert annotated[0]["quotes"] == []
    start, end = annotated[1]["quotes"][0]
    assert REFUNDS[start:end].startswith("We issue your refund within 5 business days")
    assert claims == []
    # Checked only against what the reader is shown: the shipping passage's 24 hours is not.
    _, claims = annotate("Orders ship within 24 hours [2].", citations, shown=[1])
    assert [c["text"] for c in claims] == ["24 hours"]
