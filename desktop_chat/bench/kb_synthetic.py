"""Synthetic knowledge-base documents for the scale bench: FAQ-like answers in EN and ZH."""

from __future__ import annotations

import random
from pathlib import Path

# The synthetic passages read like a shop's FAQ answers (real words, 60-90 a passage, in
# English and Chinese) because the encoder's cost follows its token count: "term1234" tokens
# split into many word pieces each and made embedding look ~5x slower than on real documents.
_ITEMS = (
    "oak side table", "linen lamp shade", "desk lamp", "wool rug", "ceramic vase", "floor lamp",
    "bedside light", "cotton throw", "glass pendant", "bamboo shelf", "reading light", "mirror",
)  # fmt: skip
_EN = (
    "Orders for the {item} placed before {hour}:00 on a working day leave our warehouse the same day.",
    "Delivery to the Netherlands and Belgium takes {n} to {m} working days and costs {price} euros.",
    "You can return the {item} within {days} days of delivery if it is unused and in its box.",
    "We refund the full price to your original payment method within {n} working days.",
    "The {item} comes with a {years} year warranty that covers faults in materials and assembly.",
    "If your parcel has not arrived after {days} days, contact customer service with your order number.",
    "Please keep the receipt and a photo of the damage, because we need both to handle a claim.",
    "Gift cards are valid for {years} years and can be used for several orders until they run out.",
    "Customers with an account can follow the parcel and change the delivery day in the app.",
    "Large items such as the {item} are delivered by a two-person team who carry it inside.",
    "Our customer service team answers the phone from {hour}:00 to 17:00 from Monday to Friday.",
    "Spare parts for the {item} are available for {years} years after the last sale of the model.",
    "We do not charge a restocking fee, but the return shipping costs {price} euros per parcel.",
    "A discount code must be entered at checkout and cannot be added after the order is paid.",
    "When the {item} is out of stock, you can ask for an email as soon as it is back.",
)  # fmt: skip
_ZH = (
    "工作日 {hour}:00 之前下单的{item}当天从仓库发出。",
    "寄往国内大部分城市需要 {n} 到 {m} 个工作日，运费 {price} 元。",
    "收到{item}后 {days} 天内，只要没有使用并保留原包装，就可以申请退货。",
    "退款会在 {n} 个工作日内原路退回到您的付款账户。",
    "{item}提供 {years} 年保修，材料和做工方面的问题都在保修范围内。",
    "如果 {days} 天后还没有收到包裹，请带上订单号联系客服。",
    "请保留购物凭证和损坏部位的照片，处理售后时两样都需要。",
    "礼品卡有效期 {years} 年，可以分多次使用，直到余额用完。",
    "注册会员后可以在手机应用里查看物流，并修改送货日期。",
    "客服电话的服务时间是周一至周五 {hour}:00 到 17:00。",
    "优惠码需要在结算时填写，付款以后不能再补用。",
    "{item}暂时缺货时，可以登记邮箱，到货后我们会第一时间通知您。",
)  # fmt: skip
_ITEMS_ZH = ("实木边几", "亚麻灯罩", "台灯", "羊毛地毯", "陶瓷花瓶", "落地灯", "床头灯", "玻璃吊灯")


def passage(rng: random.Random, chinese: bool) -> tuple[str, str]:
    """A heading and a FAQ-like answer: 60-90 English words, or 100-160 Chinese characters."""
    item = rng.choice(_ITEMS_ZH if chinese else _ITEMS)
    sentences: list[str] = []
    size = 0
    while size < (100 if chinese else 60):
        n = rng.randint(1, 5)
        sentence = rng.choice(_ZH if chinese else _EN).format(
            item=item, hour=rng.randint(8, 16), n=n, m=n + rng.randint(1, 4),
            price=rng.choice((4.95, 6.5, 9, 12, 15)), days=rng.choice((7, 14, 30, 60)),
            years=rng.randint(1, 5),
        )  # fmt: skip
        if sentence in sentences:
            continue
        grown = size + (len(sentence) if chinese else len(sentence.split()))
        if grown > (160 if chinese else 90):
            break
        sentences.append(sentence)
        size = grown
    return (item, ("" if chinese else " ").join(sentences))


def write_files(folder: Path, passages: int, per_file: int = 100) -> None:
    rng = random.Random(7)
    for f in range(0, passages, per_file):
        chinese = f // per_file % 3 == 2  # a third of the documents are Chinese
        sections = []
        for i in range(f, min(f + per_file, passages)):
            item, body = passage(rng, chinese)
            sections.append(f"## {item} {i}\n\n{body}\n")
        text = f"# Customer questions {f // per_file}\n\n" + "\n".join(sections)
        (folder / f"doc{f // per_file:04d}.md").write_text(text, "utf-8")
