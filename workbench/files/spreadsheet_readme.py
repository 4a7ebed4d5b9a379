"""The "read me" sheet of the study workbook, in French and English side by side."""

from __future__ import annotations

from ..model import CONFIDENCES, ROLES, SOURCE_KINDS, STATUSES

# (French, English) paragraphs, then one line per column.
INTRO: tuple[tuple[str, str], ...] = (
    ("Atelier d'évaluation des options : modèle d'étude", "Alternatives evaluation workbench: study template"),
    (
        "Remplissez les feuilles study, criteria, options et scores (une ligne d'en-tête, puis une ligne par "
        "élément), puis importez le classeur : python -m workbench import etude.xlsx --out DOSSIER, ou la page "
        "« Construire une étude » de l'application. Chaque problème est signalé par feuille, ligne et colonne.",
        "Fill in the sheets study, criteria, options and scores (a header row, then one row per item), then "
        "import the workbook: python -m workbench import study.xlsx --out FOLDER, or the app's \"Build a "
        'study" page. Every problem is reported with its sheet, row and column.',
    ),
    (
        "Les colonnes en trop sont ignorées (avec un avertissement). Les formules ne sont jamais calculées : "
        "seule la dernière valeur enregistrée par le tableur est lue.",
        "Extra columns are ignored (with a warning). Formulas are never computed: only the value the "
        "spreadsheet program last saved is read.",
    ),
    (
        "Les listes déroulantes proposent les valeurs permises. Les identifiants (id) s'écrivent avec des "
        "lettres, des chiffres, '-', '_' et '.'.",
        "Drop-down lists offer the allowed values. Ids use letters, digits, '-', '_' and '.'.",
    ),
)

COLUMN_HELP: tuple[tuple[str, str, str, str], ...] = (
    ("study", "key / value", "Lignes id, name_fr, name_en, method (weighted-sum, topsis...), horizon (années), "
     "discount_rate (0,03 = 3 %), currency (CAD) ; facultatives : description_fr, description_en, "
     "normalization, seats, fx.EUR (valeur d'un EUR dans la devise de l'étude)...",
     "Rows id, name_fr, name_en, method (weighted-sum, topsis...), horizon (years), discount_rate (0.03 = 3%), "
     "currency (CAD); optional: description_fr, description_en, normalization, seats, fx.EUR (value of one "
     "EUR in the study currency)..."),
    ("criteria", "id, parent", "Identifiant ; parent vide pour un critère de premier niveau, sinon l'id du groupe.",
     "Id; parent empty at the top, else the id of the group."),
    ("criteria", "name_fr, name_en", "Nom en français et en anglais.", "Name in French and in English."),
    ("criteria", "weight", "Poids relatif à ses voisins du même groupe (2 et 1 = ⅔ et ⅓).",
     "Weight relative to its siblings (2 and 1 mean ⅔ and ⅓)."),
    ("criteria", "direction", "benefit (plus haut vaut mieux) ou cost (plus bas vaut mieux) ; critères feuilles seulement.",
     "benefit (higher is better) or cost (lower is better); leaves only."),
    ("criteria", "min, max, unit", "Bornes et unité de l'échelle (feuilles seulement).",
     "Bounds and unit of the scale (leaves only)."),
    ("criteria", "must_have_min", "Facultatif : valeur minimale exigée (éliminatoire).",
     "Optional: the minimum value required (knock-out)."),
    ("options", "id, name_fr, name_en", "Une ligne par option comparée.", "One row per option compared."),
    ("options", "role", f"{' ou '.join(ROLES)} (un modèle de référence n'est pas classé).",
     f"{' or '.join(ROLES)} (a reference model is not ranked)."),
    ("scores", "option, criterion, value", "Une ligne par note (et par source) : l'id de l'option, l'id du critère, la valeur.",
     "One row per score (and per source): the option's id, the criterion's id, the value."),
    ("scores", "low, high", "Facultatif : valeurs plausibles basse et haute.", "Optional: plausible low and high values."),
    ("scores", "status", ", ".join(STATUSES), ", ".join(STATUSES)),
    ("scores", "confidence", ", ".join(CONFIDENCES), ", ".join(CONFIDENCES)),
    ("scores", "rationale_fr, rationale_en", "Pourquoi cette note, en une à trois phrases.", "Why this score, in one to three sentences."),
    ("scores", "source_*", "Titre, adresse (http/https), date de publication (AAAA-MM-JJ, AAAA-MM, AAAA ou unknown), "
     f"date de consultation (AAAA-MM-JJ), type ({', '.join(SOURCE_KINDS)}). Plusieurs sources : une ligne par "
     "source ; la valeur et la justification viennent de la première ligne.",
     "Title, address (http/https), publication date (YYYY-MM-DD, YYYY-MM, YYYY or unknown), access date "
     f"(YYYY-MM-DD), kind ({', '.join(SOURCE_KINDS)}). Several sources: one row per source; the value and "
     "rationale come from the first row."),
    ("levels", "criterion, kind, value, label_fr, label_en", "Facultatif : niveaux d'une échelle ordinale (kind = level) "
     "ou ancres d'une échelle numérique (kind = anchor).",
     "Optional: levels of an ordinal scale (kind = level) or anchors of a numeric scale (kind = anchor)."),
    ("advanced", "target, yaml", "Facultatif : champs sans colonne, en YAML (description, costs, facts, preference, "
     "dispute, quote...) ; target = study, criterion:<id>, option:<id> ou score:<option>/<critère>.",
     "Optional: fields without a column, in YAML (description, costs, facts, preference, dispute, quote...); "
     "target = study, criterion:<id>, option:<id> or score:<option>/<criterion>."),
)  # fmt: skip


def readme_rows() -> list[tuple[str, str, str, str]]:
    """Rows of the read-me sheet: (sheet, column, French, English); paragraphs have no sheet."""
    rows: list[tuple[str, str, str, str]] = [("", "", fr, en) for fr, en in INTRO]
    rows.append(("", "", "", ""))
    rows.append(("feuille / sheet", "colonne / column", "français", "English"))
    rows.extend(COLUMN_HELP)
    return rows
