"""Messages of the consumption area (series, reports, exports)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "consumption.range_reversed": (
        "Początek zakresu jest po jego końcu.",
        "The start of the range is after its end.",
    ),
    "consumption.range_too_long": (
        "Zakres może obejmować najwyżej 60 miesięcy.",
        "The range may cover at most 60 months.",
    ),
    "consumption.wrong_product": (
        "Ten raport dotyczy innego rodzaju umowy.",
        "This report is for another kind of contract.",
    ),
    "consumption.conclusion.less_normalised": (
        "Po uwzględnieniu pogody (stopniodni) zużyto o {pct}% mniej ciepła na ogrzewanie niż w poprzednim sezonie: to rzeczywista oszczędność, nie tylko łagodniejsza zima.",
        "Weather-normalised (degree days), space heating used {pct}% less heat than last season: a real saving, not just a milder winter.",
    ),
    "consumption.conclusion.more_normalised": (
        "Po uwzględnieniu pogody (stopniodni) zużyto o {pct}% więcej ciepła na ogrzewanie niż w poprzednim sezonie; warto sprawdzić regulację instalacji i nawyki wietrzenia.",
        "Weather-normalised (degree days), space heating used {pct}% more heat than last season; check the heating controls and airing habits.",
    ),
    "consumption.conclusion.same_normalised": (
        "Po uwzględnieniu pogody (stopniodni) zużycie na ogrzewanie jest zbliżone do poprzedniego sezonu: mniejsze lub większe zużycie wynika z pogody.",
        "Weather-normalised (degree days), space heating is close to last season's: any difference in use comes from the weather.",
    ),
    "consumption.conclusion.capacity_low": (
        "Średnia moc w najzimniejszym miesiącu ({avg_mw} MW) to tylko {share}% mocy zamówionej ({ordered_mw} MW). Przed kolejnym sezonem warto omówić z opiekunem klienta zmniejszenie mocy zamówionej: opłaty stałe płaci się przez cały rok.",
        "The average power in the coldest month ({avg_mw} MW) is only {share}% of the ordered capacity ({ordered_mw} MW). Before next season, discuss a lower ordered capacity with your account manager: fixed charges run all year.",
    ),
    "consumption.conclusion.capacity_ok": (
        "Średnia moc w najzimniejszym miesiącu ({avg_mw} MW) to {share}% mocy zamówionej ({ordered_mw} MW): moc zamówiona odpowiada zużyciu.",
        "The average power in the coldest month ({avg_mw} MW) is {share}% of the ordered capacity ({ordered_mw} MW): the ordered capacity fits the use.",
    ),
    "consumption.conclusion.capacity_high": (
        "Średnia moc w najzimniejszym miesiącu ({avg_mw} MW) to aż {share}% mocy zamówionej ({ordered_mw} MW); w mroźne dni może jej brakować. Porozmawiaj z opiekunem klienta o zwiększeniu mocy.",
        "The average power in the coldest month ({avg_mw} MW) is {share}% of the ordered capacity ({ordered_mw} MW); on frosty days it may fall short. Talk to your account manager about more capacity.",
    ),
    "consumption.conclusion.cwu_estimated": (
        "Ciepła woda (CWU) jest szacowana z zużycia letniego (maj–wrzesień), bo licznik nie ma osobnego rejestru CWU.",
        "Hot water (CWU) is estimated from the summer base load (May–September): the meter has no separate CWU register.",
    ),
    "consumption.conclusion.band": (
        "Roczne zużycie {kwh} kWh mieści się w przedziale opłaty mocowej: {band}.",
        "Yearly use of {kwh} kWh falls in the capacity-charge band: {band}.",
    ),
    "consumption.conclusion.band_near": (
        "Do granicy przedziału opłaty mocowej ({limit} kWh) brakuje {left} kWh.",
        "{left} kWh short of the capacity-charge band limit ({limit} kWh).",
    ),
    "consumption.conclusion.night_share": (
        "W taryfie G12 {pct}% energii zużyto w strefie nocnej (tańszej).",
        "On G12, {pct}% of the energy was used in the (cheaper) night zone.",
    ),
    "consumption.peers.heat": (
        "Na tle {peers} podobnych odbiorców ciepła ({city}, taryfa {tariff}) Twoje zużycie na 1 MW mocy zamówionej ({value} GJ/MW) mieści się w przedziale {low}–{high}% (0% = najmniejsze zużycie).",
        "Among {peers} similar heat customers ({city}, tariff {tariff}) your use per MW of ordered capacity ({value} GJ/MW) is in the {low}–{high}% band (0% = the lowest use).",
    ),
    "consumption.peers.power": (
        "Na tle {peers} podobnych gospodarstw ({city}, taryfa {tariff}) Twoje roczne zużycie ({value} kWh) mieści się w przedziale {low}–{high}% (0% = najmniejsze zużycie).",
        "Among {peers} similar homes ({city}, tariff {tariff}) your yearly use ({value} kWh) is in the {low}–{high}% band (0% = the lowest use).",
    ),
}
