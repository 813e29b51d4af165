"""Population of Morocco's 12 regions, which weights where generated beneficiaries live.

Source: Haut-Commissariat au Plan (HCP), Recensement général de la population et de l'habitat
2024 (RGPH 2024), legal population by region, published in November 2024. The twelve figures
add up to the published national total of 36,828,330.
"""

from __future__ import annotations

# Checked figure by figure against the press reports of the decree that approved the legal
# population (walaw.press, "تتقدمهم البيضاء.. هذا عدد السكان بالجهات حسب إحصاء 2024" for the first
# ten regions, and "العيون تتصدر جهات الصحراء في عدد السكان" for the three southern ones; L'Économiste,
# "Recensement 2024 : Voici la répartition de la population par région", for the five largest and
# Dakhla). The HCP's own table was not read: these reports quote it.
# ISO 3166-2:MA region code -> legal population at the 2024 census.
POPULATION_2024 = {
    "MA-01": 4_030_222,  # Tanger-Tétouan-Al Hoceïma
    "MA-02": 2_294_665,  # L'Oriental
    "MA-03": 4_467_911,  # Fès-Meknès
    "MA-04": 5_132_639,  # Rabat-Salé-Kénitra
    "MA-05": 2_525_801,  # Béni Mellal-Khénifra
    "MA-06": 7_688_967,  # Casablanca-Settat
    "MA-07": 4_892_393,  # Marrakech-Safi
    "MA-08": 1_655_623,  # Drâa-Tafilalet
    "MA-09": 3_020_431,  # Souss-Massa
    "MA-10": 448_685,  # Guelmim-Oued Noun
    "MA-11": 451_028,  # Laâyoune-Sakia El Hamra
    "MA-12": 219_965,  # Dakhla-Oued Ed-Dahab
}
NATIONAL_TOTAL_2024 = 36_828_330


def region_weights() -> dict[str, float]:
    """Return each region's share of the national population, the shares adding up to 1."""
    total = sum(POPULATION_2024.values())
    return {code: population / total for code, population in POPULATION_2024.items()}
