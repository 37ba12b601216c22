"""The table of special-category cases: positives with their exact spans, hard negatives.

Written for these tests in the style of the eval label guide (never copied from the dev notes).
A positive lists every special-category span the note must produce, as (entity, phrase) or
(entity, phrase, occurrence) when the phrase occurs more than once; offsets are derived from
the phrase so the table stays readable. A negative must produce no special-category finding.
"""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[str, str] | tuple[str, str, int]


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    text: str
    spans: tuple[Span, ...] = ()

    def offsets(self) -> list[tuple[str, int, int]]:
        """(entity, start, end) of every expected span, in text order."""
        out = []
        for span in self.spans:
            entity, phrase = span[0], span[1]
            occurrence = span[2] if len(span) == 3 else 0
            start = -1
            for _ in range(occurrence + 1):
                start = self.text.index(phrase, start + 1)
            out.append((entity, start, start + len(phrase)))
        return sorted(out, key=lambda s: s[1])


def P(id: str, lang: str, text: str, *spans: Span) -> Case:
    return Case(id, lang, text, spans)


def N(id: str, lang: str, text: str) -> Case:
    return Case(id, lang, text)


H, R, E, PO = "HEALTH", "RELIGION", "ETHNIC_ORIGIN", "POLITICAL_OPINION"
T, S, G, B = "TRADE_UNION", "SEX_LIFE", "GENETIC", "BIOMETRIC"

POSITIVES: list[Case] = [
    # ------------------------------------------------------------------ HEALTH, German
    P(
        "de-health-compound-diagnosis",
        "de",
        "Rückruf nach 16 Uhr, die Kundin ist wegen ihrer Darmkrebs-Behandlung oft in der Klinik.",
        (H, "Darmkrebs-Behandlung"),
        (H, "in der Klinik"),
    ),
    P(
        "de-health-feminine-person-noun",
        "de",
        "Frau Albers ist Asthmatikerin, bitte keine Duftkerzen ins Paket.",
        (H, "Asthmatikerin"),
    ),
    P(
        "de-health-negation-keeps-the-term",
        "de",
        "Nachtrag: Der Junge hat doch keine Zöliakie, normale Kekse sind in Ordnung.",
        (H, "Zöliakie"),
    ),
    P(
        "de-health-colloquial-sugar-with-verb",
        "de",
        "Mein Opa hatte Zucker, deshalb bitte nur die Pralinen ohne Zuckerzusatz.",
        (H, "hatte Zucker"),
    ),
    P(
        "de-health-wheelchair-with-preposition",
        "de",
        "Lieferung bitte ebenerdig abstellen, mein Bruder sitzt seit dem Unfall im Rollstuhl.",
        (H, "im Rollstuhl"),
    ),
    P(
        "de-health-ms-abbreviation-in-capitals",
        "de",
        "Die Kundin hat MS und schafft die Treppe nicht, bitte bis vor die Wohnungstür.",
        (H, "MS"),
    ),
    P(
        "de-health-pregnancy-and-sick-note",
        "de",
        "Frau Kaya ist schwanger und derzeit krankgeschrieben, Vertretung übernimmt Herr Bode.",
        (H, "schwanger"),
        (H, "krankgeschrieben"),
    ),
    P(
        "de-health-medication-with-verb",
        "de",
        "Er nimmt seit dem Infarkt starke Blutverdünner, bitte keine Grapefruit-Produkte.",
        (H, "Infarkt"),
        (H, "Blutverdünner"),
    ),
    P(
        "de-health-rehab-with-preposition",
        "de",
        "Paket erst im Mai schicken, unser Vater ist noch zur Reha an der Ostsee.",
        (H, "zur Reha"),
    ),
    P(
        "de-health-care-grade-with-number",
        "de",
        "Neue Anschrift der Kundin wegen Pflegegrad 3: Wohnbereich B, Zimmer 12.",
        (H, "Pflegegrad 3"),
    ),
    P(
        "de-health-mental-health-and-addiction",
        "de",
        "Ihr Sohn ist nach einer Psychose nun auf Entzug, bitte keine Anrufe am Vormittag.",
        (H, "Psychose"),
        (H, "auf Entzug"),
    ),
    P(
        "de-health-neighbouring-spans-of-one-category-merge",
        "de",
        "Ich bin im fünften Monat schwanger und brauche Umstandsmode in Größe 40.",
        (H, "im fünften Monat schwanger"),
        (H, "Umstandsmode"),
    ),
    P(
        "de-health-organ-as-colloquial-diagnosis",
        "de",
        "Lieber Weihnachtsmann, Papa ist oft müde wegen seiner Schilddrüse.",
        (H, "Schilddrüse"),
    ),
    P(
        "de-health-medical-word-ending",
        "de",
        "Die Kundin hat eine chronische Sinusitis und eine Spritzenphobie.",
        (H, "Sinusitis"),
        (H, "Spritzenphobie"),
    ),
    # ------------------------------------------------------------------ HEALTH, English
    P(
        "en-health-diagnosis-with-qualifier",
        "en",
        "Please send the large-print catalogue, my father has macular degeneration.",
        (H, "macular degeneration"),
    ),
    P(
        "en-health-negation-keeps-the-term",
        "en",
        "Update: the twins are not coeliac after all, regular cake is fine.",
        (H, "coeliac"),
    ),
    P(
        "en-health-dialysis-with-preposition",
        "en",
        "Deliveries only on Wednesdays, she is on dialysis Monday, Tuesday and Friday.",
        (H, "on dialysis"),
    ),
    P(
        "en-health-ms-needs-a-verb",
        "en",
        "Her brother has MS, so the parcel must go to the ground-floor flat.",
        (H, "MS"),
    ),
    P(
        "en-health-allergen-belongs-to-the-span",
        "en",
        "No marzipan please, our youngest has a sesame allergy.",
        (H, "sesame allergy"),
    ),
    P(
        "en-health-injury-with-verb",
        "en",
        "He fractured his wrist at football, so please send the lighter model.",
        (H, "fractured his wrist"),
    ),
    P(
        "en-health-hospital-stay",
        "en",
        "Customer rang from the ward: her husband is in hospital until Friday.",
        (H, "in hospital"),
    ),
    P(
        "en-health-pregnancy-and-maternity",
        "en",
        "Our buyer is pregnant and goes on maternity leave in June.",
        (H, "pregnant"),
        (H, "maternity leave"),
    ),
    P(
        "en-health-hyphenated-compound",
        "en",
        "Order for the insulin-pump belt clip, size M.",
        (H, "insulin-pump"),
    ),
    P(
        "en-health-in-labour-is-health-not-politics",
        "en",
        "Sorry for the delay, my wife went into labour last night.",
        (H, "went into labour"),
    ),
    P(
        "en-health-addiction-recovery",
        "en",
        "Please leave the wine out of the hamper, my uncle is a recovering alcoholic.",
        (H, "recovering alcoholic"),
    ),
    P(
        "en-health-medical-word-ending",
        "en",
        "He had an appendectomy last month and still can't lift much.",
        (H, "appendectomy"),
    ),
    P(
        "en-health-organ-with-preposition",
        "en",
        "Grandad has been in and out of hospital with his heart this year.",
        (H, "in and out of hospital with his heart"),
    ),
    # ------------------------------------------------------------------ RELIGION, German
    P(
        "de-religion-confession-adjective",
        "de",
        "Die Großeltern sind streng katholisch, bitte die Karte mit dem Engel.",
        (R, "katholisch"),
    ),
    P(
        "de-religion-degree-adjective-stays-outside",
        "de",
        "Unsere Lieferantin ist tiefgläubig evangelisch und nimmt sonntags keine Anrufe an.",
        (R, "evangelisch"),
    ),
    P(
        "de-religion-stated-non-belief",
        "de",
        "Er sagt, er sei konfessionslos und wolle keine Weihnachtsgrüße.",
        (R, "konfessionslos"),
    ),
    P(
        "de-religion-sacrament-gift",
        "de",
        "Gravur für das Armband zur Firmung von Jonas bitte in Schreibschrift.",
        (R, "Firmung"),
    ),
    P(
        "de-religion-clergy-title",
        "de",
        "Abholung durch Pfarrerin Lohmann am Donnerstag.",
        (R, "Pfarrerin"),
    ),
    P(
        "de-religion-holiday-and-faith",
        "de",
        "Wir sind Muslime und feiern das Zuckerfest, bitte vor dem 10. liefern.",
        (R, "Muslime"),
        (R, "Zuckerfest"),
    ),
    P(
        "de-religion-adjective-with-noun",
        "de",
        "Herr Stern bittet, keine Termine an jüdischen Feiertagen zu legen.",
        (R, "jüdischen Feiertagen"),
    ),
    P(
        "de-religion-religious-reasons",
        "de",
        "Bitte keine Gelatine verwenden, die Familie isst aus religiösen Gründen kein Schwein.",
        (R, "religiösen Gründen"),
    ),
    P(
        "de-religion-conviction-vegan",
        "de",
        "Sie ist Veganerin aus Überzeugung, bitte keine Lederprodukte anbieten.",
        (R, "Veganerin aus Überzeugung"),
    ),
    # ------------------------------------------------------------------ RELIGION, English
    P(
        "en-religion-denomination",
        "en",
        "Card for Grandma please, she's a Methodist and loves hymns.",
        (R, "Methodist"),
    ),
    P(
        "en-religion-clergy-abbreviation",
        "en",
        "Collection by Rev. Okafor on Saturday morning.",
        (R, "Rev."),
    ),
    P(
        "en-religion-non-belief-phrase",
        "en",
        "He told the agent he doesn't believe in God, so no religious cards.",
        (R, "doesn't believe in God"),
    ),
    P(
        "en-religion-sacrament",
        "en",
        "Engraving for her first communion: 'Ava, May 2025'.",
        (R, "first communion"),
    ),
    P(
        "en-religion-practice-sabbath",
        "en",
        "No deliveries on Saturdays please, we keep the Sabbath.",
        (R, "Sabbath"),
    ),
    P(
        "en-religion-dietary-rule-and-faith",
        "en",
        "We only eat halal as we are Muslims, please check the gummy sweets.",
        (R, "halal"),
        (R, "Muslims"),
    ),
    P(
        "en-religion-holiday",
        "en",
        "Please deliver the lanterns before Diwali, we celebrate with the whole family.",
        (R, "Diwali"),
    ),
    P(
        "en-religion-bar-mitzvah",
        "en",
        "Gift wrap for Noah's bar mitzvah in October.",
        (R, "bar mitzvah"),
    ),
    # ------------------------------------------------------------------ ETHNIC_ORIGIN, German
    P(
        "de-ethnic-minority-with-adjective",
        "de",
        "Die Partnerin gehört zur sorbischen Minderheit in der Lausitz.",
        (E, "sorbischen Minderheit"),
    ),
    P(
        "de-ethnic-group-noun",
        "de",
        "Herr Demir ist Kurde und bittet um kurdische Beschriftung.",
        (E, "Kurde"),
    ),
    P("de-ethnic-sinti", "de", "Die Familie des Kunden sind Sinti aus Hamburg.", (E, "Sinti")),
    P(
        "de-ethnic-skin-colour-about-a-person",
        "de",
        "Der Zusteller beschreibt den Empfänger als dunkelhäutig, Identität per Ausweis geprüft.",
        (E, "dunkelhäutig"),
    ),
    P(
        "de-ethnic-ancestry",
        "de",
        "Die Kundin ist griechischer Abstammung und sucht Ostergeschenke.",
        (E, "griechischer Abstammung"),
    ),
    P(
        "de-ethnic-migration-background",
        "de",
        "Der Junge hat einen Migrationshintergrund, steht im Förderantrag der Schule.",
        (E, "Migrationshintergrund"),
    ),
    P(
        "de-ethnic-nationality-as-insult",
        "de",
        "Beschwerde: Der Kunde wurde im Laden als Türke beschimpft.",
        (E, "Türke"),
    ),
    P(
        "de-ethnic-roma-community",
        "de",
        "Frau Lakatos gehört zu den Roma und leitet einen Kulturverein.",
        (E, "gehört zu den Roma"),
    ),
    # ------------------------------------------------------------------ ETHNIC_ORIGIN, English
    P(
        "en-ethnic-census-category",
        "en",
        "Form says she is Black Caribbean; please update the diversity field.",
        (E, "Black Caribbean"),
    ),
    P(
        "en-ethnic-traveller",
        "en",
        "The family are Irish Travellers and move sites in spring.",
        (E, "Irish Travellers"),
    ),
    P(
        "en-ethnic-heritage-with-qualifier",
        "en",
        "He mentioned his Punjabi heritage when ordering the wedding favours.",
        (E, "Punjabi heritage"),
    ),
    P(
        "en-ethnic-hyphenated-identity",
        "en",
        "Our contact is Korean-American and prefers evening calls.",
        (E, "Korean-American"),
    ),
    P("en-ethnic-mixed-race", "en", "Dolls for my twins, they are biracial.", (E, "biracial")),
    P(
        "en-ethnic-skin-colour-about-a-person",
        "en",
        "Driver said the recipient, a man with dark skin, signed for it.",
        (E, "dark skin"),
    ),
    P(
        "en-ethnic-group",
        "en",
        "She is Yoruba and asked for the card in both languages.",
        (E, "Yoruba"),
    ),
    P(
        "en-ethnic-nationality-as-slur",
        "en",
        "Complaint: a delivery driver was racially abused and called a Paki by a customer.",
        (E, "Paki"),
    ),
    # ------------------------------------------------------------------ POLITICAL_OPINION, German
    P(
        "de-political-member-of-party",
        "de",
        "Herr Kranz ist Mitglied der FDP und fragt nach Werbegeschenken für den Wahlkampf.",
        (PO, "Mitglied der FDP"),
    ),
    P(
        "de-political-affiliation-compound",
        "de",
        "Bestellung des CSU-Ortsverbands Passau, Ansprechpartner Herr Maier.",
        (PO, "CSU-Ortsverbands"),
    ),
    P(
        "de-political-vote-with-gap",
        "de",
        "Beim Kaffee meinte die Kundin, sie wähle seit Jahren die Grünen.",
        (PO, "wähle seit Jahren die Grünen"),
    ),
    P(
        "de-political-identity",
        "de",
        "Der Nachbar ist ein bekannter Querdenker und verteilt Flugblätter.",
        (PO, "Querdenker"),
    ),
    P(
        "de-political-office",
        "de",
        "Frau Reuter ist Stadträtin der Linken und bestellt Kaffee für die Fraktion.",
        (PO, "Stadträtin der Linken"),
    ),
    P(
        "de-political-communist",
        "de",
        "Opa war überzeugter Kommunist, bitte das rote Halstuch einpacken.",
        (PO, "Kommunist"),
    ),
    P(
        "de-political-voter-compound",
        "de",
        "Er bezeichnet sich als AfD-Wähler und will keine Regenbogen-Verpackung.",
        (PO, "AfD-Wähler"),
    ),
    P(
        "de-political-party-left",
        "de",
        "Sie ist aus der SPD ausgetreten und jetzt parteilos.",
        (PO, "aus der SPD"),
    ),
    # ------------------------------------------------------------------ POLITICAL_OPINION, English
    P(
        "en-political-votes-party",
        "en",
        "He said he always votes Conservative and wanted a blue rosette.",
        (PO, "always votes Conservative"),
    ),
    P(
        "en-political-party-office",
        "en",
        "Delivery for Cllr Patel, Labour councillor for Riverside ward.",
        (PO, "Labour councillor"),
    ),
    P(
        "en-political-member-of-party",
        "en",
        "Our supplier contact is a member of the SNP and asked for a yellow ribbon.",
        (PO, "member of the SNP"),
    ),
    P("en-political-identity", "en", "Grandpa is a staunch monarchist.", (PO, "monarchist")),
    P(
        "en-political-brexit-side",
        "en",
        "The caller, a proud Brexiteer, complained about EU duties.",
        (PO, "Brexiteer"),
    ),
    P(
        "en-political-supporter",
        "en",
        "My aunt is a Bernie Sanders fan and a registered Democrat.",
        (PO, "registered Democrat"),
    ),
    P(
        "en-political-activist",
        "en",
        "Her son is a climate activist and wants recycled wrapping only.",
        (PO, "climate activist"),
    ),
    P(
        "en-political-republican-voter",
        "en",
        "He's a Republican voter from Ohio who orders every Christmas.",
        (PO, "Republican voter"),
    ),
    # ------------------------------------------------------------------ TRADE_UNION, German
    P(
        "de-union-member-predicate",
        "de",
        "Frau Wolf ist Mitglied der NGG und fragt nach Rabatten für die Betriebsgruppe.",
        (T, "Mitglied der NGG"),
    ),
    P(
        "de-union-member-compound",
        "de",
        "Der Fahrer ist EVG-Mitglied und streikt am Montag nicht mit.",
        (T, "EVG-Mitglied"),
    ),
    P(
        "de-union-shop-steward",
        "de",
        "Herr Yıldız ist Vertrauensmann der IG Metall im Werk Süd.",
        (T, "Vertrauensmann der IG Metall"),
    ),
    P(
        "de-union-in-union",
        "de",
        "Meine Mutter ist seit 40 Jahren in der GEW und geht jetzt in Rente.",
        (T, "in der GEW"),
    ),
    P(
        "de-union-generic-membership",
        "de",
        "Der Kunde ist Gewerkschaftsmitglied und möchte keine Lieferung am 1. Mai.",
        (T, "Gewerkschaftsmitglied"),
    ),
    P(
        "de-union-secretary",
        "de",
        "Ansprechpartnerin ist Gewerkschaftssekretärin bei ver.di in Bremen.",
        (T, "Gewerkschaftssekretärin bei ver.di"),
    ),
    P(
        "de-union-youth-compound",
        "de",
        "Bestellung für die IG-BCE-Jugend Leverkusen, Ansprechperson Tim Hahn.",
        (T, "IG-BCE-Jugend"),
    ),
    P(
        "de-union-organised",
        "de",
        "Er ist gewerkschaftlich aktiv und bittet um neutrale Rechnungen.",
        (T, "gewerkschaftlich aktiv"),
    ),
    # ------------------------------------------------------------------ TRADE_UNION, English
    P(
        "en-union-member-of",
        "en",
        "Caller said she is a member of the RMT and works nights.",
        (T, "member of the RMT"),
    ),
    P(
        "en-union-rep-after-name",
        "en",
        "Contact at the depot is the Unite rep, Gary Shaw.",
        (T, "Unite rep"),
    ),
    P(
        "en-union-shop-steward",
        "en",
        "He's been a shop steward for years, so weekday calls are difficult.",
        (T, "shop steward"),
    ),
    P("en-union-teamster", "en", "The driver is a Teamster and finishes at 4pm.", (T, "Teamster")),
    P(
        "en-union-dues",
        "en",
        "She asked whether her union dues can be paid by card.",
        (T, "union dues"),
    ),
    P(
        "en-union-joined",
        "en",
        "He joined the union after the restructuring.",
        (T, "joined the union"),
    ),
    P(
        "en-union-us-union",
        "en",
        "Our warehouse lead is a member of SEIU Local 1199.",
        (T, "member of SEIU"),
    ),
    P(
        "en-union-trade-unionist",
        "en",
        "Gift for my dad, a lifelong trade unionist.",
        (T, "trade unionist"),
    ),
    # ------------------------------------------------------------------ SEX_LIFE, German
    P(
        "de-sex-orientation-adjective",
        "de",
        "Unser Sohn ist schwul und bringt seinen Freund zum Fest mit.",
        (S, "schwul"),
    ),
    P("de-sex-bisexual", "de", "Sie hat erzählt, dass sie bisexuell ist.", (S, "bisexuell")),
    P(
        "de-sex-two-mothers",
        "de",
        "Lieber Weihnachtsmann, ich habe zwei Mamas und wünsche mir ein Puzzle.",
        (S, "zwei Mamas"),
    ),
    P(
        "de-sex-woman-and-her-wife",
        "de",
        "Die Kundin bestellt den Ring für ihre Frau zum Hochzeitstag.",
        (S, "ihre Frau"),
    ),
    P(
        "de-sex-gender-identity",
        "de",
        "Bitte Anrede ändern: Die Person ist nicht-binär.",
        (S, "nicht-binär"),
    ),
    P(
        "de-sex-trans-man",
        "de",
        "Der Kunde ist ein Transmann und hat einen neuen Vornamen.",
        (S, "Transmann"),
    ),
    P(
        "de-sex-coming-out",
        "de",
        "Nach ihrem Coming-out wünscht sie sich eine Regenbogenfahne.",
        (S, "Coming-out"),
    ),
    P(
        "de-sex-same-sex-partnership",
        "de",
        "Die beiden Herren leben in einer gleichgeschlechtlichen Partnerschaft.",
        (S, "gleichgeschlechtlichen"),
    ),
    # ------------------------------------------------------------------ SEX_LIFE, English
    P(
        "en-sex-orientation",
        "en",
        "Card text: 'To my lesbian sister and her girlfriend, merry Christmas!'",
        (S, "lesbian"),
    ),
    P(
        "en-sex-man-and-his-husband",
        "en",
        "Mr Okoye and his husband will collect the order together.",
        (S, "his husband"),
    ),
    P(
        "en-sex-two-dads",
        "en",
        "Dear Santa, I have two dads and a cat, please bring a telescope.",
        (S, "two dads"),
    ),
    P(
        "en-sex-transgender",
        "en",
        "The customer is transgender and asked us to update her title.",
        (S, "transgender"),
    ),
    P(
        "en-sex-non-binary",
        "en",
        "Please address them as Mx Reed, they are non-binary.",
        (S, "Mx"),
        (S, "non-binary"),
    ),
    P("en-sex-came-out", "en", "Our daughter came out as bi last spring.", (S, "came out as")),
    P(
        "en-sex-same-sex",
        "en",
        "Wedding cake topper for a same-sex couple, two brides.",
        (S, "same-sex"),
        (S, "two brides"),
    ),
    P(
        "en-sex-bisexual",
        "en",
        "He told the agent he is bisexual when explaining the gift.",
        (S, "bisexual"),
    ),
    # ------------------------------------------------------------------ GENETIC, German
    P(
        "de-genetic-carrier-status",
        "de",
        "Frau Ott ist BRCA1-Trägerin und lässt sich engmaschig untersuchen.",
        (G, "BRCA1-Trägerin"),
    ),
    P(
        "de-genetic-test-about-a-person",
        "de",
        "Der Gentest ihres Sohnes kam negativ zurück.",
        (G, "Gentest"),
    ),
    P(
        "de-genetic-paternity",
        "de",
        "Kunde erwähnte, der Vaterschaftstest sei eindeutig gewesen.",
        (G, "Vaterschaftstest"),
    ),
    P(
        "de-genetic-familial-risk",
        "de",
        "Darmkrebs liegt in der Familie, deshalb geht sie jedes Jahr zur Vorsorge.",
        (H, "Darmkrebs"),
        (G, "liegt in der Familie"),
    ),
    P(
        "de-genetic-mutation",
        "de",
        "Bei ihm wurde eine Genmutation festgestellt.",
        (G, "Genmutation"),
    ),
    P(
        "de-genetic-hereditary",
        "de",
        "Sein Herzfehler ist erblich bedingt, sagt die Mutter.",
        (H, "Herzfehler"),
        (G, "erblich bedingt"),
    ),
    P(
        "de-genetic-dna-result",
        "de",
        "Laut DNA-Analyse ist sie zu einem Viertel skandinavisch.",
        (G, "DNA-Analyse"),
    ),
    P(
        "de-genetic-prenatal",
        "de",
        "Die Kundin hatte einen Pränataltest, das Ergebnis war unauffällig.",
        (G, "Pränataltest"),
    ),
    # ------------------------------------------------------------------ GENETIC, English
    P(
        "en-genetic-brca",
        "en",
        "She has a BRCA2 mutation and asked about our pink-ribbon range.",
        (G, "BRCA2 mutation"),
    ),
    P(
        "en-genetic-carrier",
        "en",
        "Both parents are carriers of the cystic fibrosis gene.",
        (G, "carriers of the cystic fibrosis gene"),
    ),
    P(
        "en-genetic-test-result",
        "en",
        "His genetic testing came back clear.",
        (G, "genetic testing"),
    ),
    P(
        "en-genetic-apoe",
        "en",
        "Contact mentioned he carries APOE4 and is planning ahead.",
        (G, "APOE4"),
    ),
    P(
        "en-genetic-runs-in-family",
        "en",
        "Glaucoma runs in the family, so she wants the large-print edition.",
        (H, "Glaucoma"),
        (G, "runs in the family"),
    ),
    P(
        "en-genetic-paternity-test",
        "en",
        "The paternity test confirmed he is the father, the customer said.",
        (G, "paternity test"),
    ),
    P(
        "en-genetic-ancestry-results",
        "en",
        "Her ancestry results showed Sephardic roots.",
        (G, "ancestry results"),
        (E, "Sephardic roots"),
    ),
    P(
        "en-genetic-sickle-cell-trait",
        "en",
        "My son has sickle cell trait, not the disease.",
        (G, "sickle cell trait"),
    ),
    # ------------------------------------------------------------------ BIOMETRIC, German
    P(
        "de-biometric-fingerprint-stored",
        "de",
        "Für Frau Brandt ist der Fingerabdruck am Personaleingang hinterlegt.",
        (B, "Fingerabdruck"),
    ),
    P(
        "de-biometric-face-match",
        "de",
        "Beim Video-Ident wurde die Gesichtserkennung mit dem Ausweisfoto abgeglichen.",
        (B, "Gesichtserkennung"),
    ),
    P(
        "de-biometric-iris",
        "de",
        "Zutritt zum Hochregallager nur per Irisscan, Vorlagen für vier Mitarbeiter gespeichert.",
        (B, "Irisscan"),
    ),
    P(
        "de-biometric-palm-vein",
        "de",
        "Die Handvenen-Vorlage von Herrn Kühn wurde nach seinem Austritt gelöscht.",
        (B, "Handvenen-Vorlage"),
    ),
    P(
        "de-biometric-voice",
        "de",
        "Das Stimmprofil der Kundin ist für die Telefon-Identifizierung registriert.",
        (B, "Stimmprofil"),
    ),
    P(
        "de-biometric-template-data",
        "de",
        "Biometrische Daten der Lagerhelfer werden für die Zeiterfassung gespeichert.",
        (B, "Biometrische Daten"),
    ),
    P(
        "de-biometric-timeclock",
        "de",
        "Neue Stempeluhr: Fingerabdrücke aller Fahrer sind erfasst.",
        (B, "Fingerabdrücke"),
    ),
    P(
        "de-biometric-enrolment",
        "de",
        "Herr Sauer hat seine Gesichtsvorlage für das Schließfach registriert.",
        (B, "Gesichtsvorlage"),
    ),
    # ------------------------------------------------------------------ BIOMETRIC, English
    P(
        "en-biometric-fingerprint-enrolled",
        "en",
        "Customer's fingerprint is enrolled on the parcel locker at the Leeds branch.",
        (B, "fingerprint"),
    ),
    P(
        "en-biometric-face-template",
        "en",
        "Delete the face template we stored for Mr Hale after his account closure.",
        (B, "face template"),
    ),
    P(
        "en-biometric-voiceprint",
        "en",
        "Her voiceprint is registered for telephone verification.",
        (B, "voiceprint"),
    ),
    P(
        "en-biometric-id-check",
        "en",
        "Facial recognition matched his selfie to the passport during the ID check.",
        (B, "Facial recognition"),
    ),
    P(
        "en-biometric-palm-vein",
        "en",
        "Warehouse access uses palm vein scans; templates held for all pickers.",
        (B, "palm vein scans"),
    ),
    P(
        "en-biometric-iris",
        "en",
        "Iris scan templates for the night shift were stored on site.",
        (B, "Iris scan"),
    ),
    P(
        "en-biometric-clock-in",
        "en",
        "Staff clock in with a fingerprint scan at the depot.",
        (B, "fingerprint scan"),
    ),
    P(
        "en-biometric-data",
        "en",
        "Our supplier keeps biometric data of its drivers for access control.",
        (B, "biometric data"),
    ),
]

NEGATIVES: list[Case] = [
    # HEALTH, German: toys, star signs, surnames, food, hyperbole, jobs, pets, obstruction
    N(
        "de-health-toy-hospital",
        "de",
        "Ich wünsche mir das Playmobil-Krankenhaus mit Rettungswagen.",
    ),
    N("de-health-star-sign", "de", "Tasse mit Sternzeichen Krebs für meine Schwester."),
    N("de-health-surname-krebs", "de", "Frau Krebs hat die Rechnung schon bezahlt."),
    N(
        "de-health-sugar-as-food",
        "de",
        "Bitte den Zucker und die Hefe für den Stollen extra verpacken.",
    ),
    N(
        "de-health-works-at-hospital",
        "de",
        "Meine Tante arbeitet im Krankenhaus in der Verwaltung.",
    ),
    N("de-health-pet", "de", "Unser Hund hat Arthrose, gibt es ein orthopädisches Hundebett?"),
    N(
        "de-health-obstruction",
        "de",
        "Die Zufahrt war durch Falschparker behindert, Zustellung morgen.",
    ),
    N("de-health-hyperbole", "de", "Der neue Trailer ist echt krank, ich will das Spiel!"),
    N("de-health-ms-office", "de", "Kunde hat Fragen zur Lizenz für MS Office."),
    N("de-health-parental-leave", "de", "Herr Lenz ist ab März in Elternzeit."),
    # HEALTH, English
    N("en-health-toy-hospital", "en", "Can I have the Lego hospital set and a fire engine please?"),
    N("en-health-hyperbole-sick", "en", "That new scooter is sick, I really want it!"),
    N("en-health-hyperbole-ocd", "en", "I'm a bit OCD about matching gift tags, sorry!"),
    N("en-health-allergic-to-waiting", "en", "Honestly I'm allergic to waiting, please hurry."),
    N("en-health-ms-title", "en", "Ms Carter asked for a copy of the invoice."),
    N("en-health-star-sign", "en", "Mug with the Cancer star sign for my brother."),
    N(
        "en-health-nurse-job",
        "en",
        "She works as a nurse at the hospital and needs evening delivery.",
    ),
    N("en-health-pet", "en", "My cat has diabetes, do you sell pet insulin pens?"),
    N("en-health-cold-weather", "en", "Leave it in the porch, the cold weather will not hurt it."),
    N("de-health-distance", "de", "Die Entfernung zum Lager beträgt nur 5 km."),
    N("de-health-looks-bad", "de", "Das Wetter sieht schlecht aus, bitte Paket unter das Vordach."),
    N(
        "en-health-delivery-liver",
        "en",
        "Delivery to the back door, the liver-coloured van is ours.",
    ),
    N("en-health-sympathy", "en", "Please add a sympathy card to the flowers."),
    # RELIGION, German
    N("de-religion-idiom", "de", "Gott sei Dank ist das Paket doch noch angekommen!"),
    N("de-religion-address", "de", "Neue Lieferadresse: Kirchstraße 8, 37073 Göttingen."),
    N(
        "de-religion-christmas",
        "de",
        "Bitte den Adventskranz und die Christbaumkugeln bis 1. Dezember.",
    ),
    N(
        "de-religion-church-choir",
        "de",
        "Meine Tochter singt im Kirchenchor und wünscht sich Noten.",
    ),
    N("de-religion-creditor", "de", "Der Gläubiger hat die Forderung zurückgezogen."),
    N("de-religion-asked-for", "de", "Der Kunde hat um eine neue Rechnung gebeten."),
    N("de-religion-plain-vegan", "de", "Wir essen vegan, bitte keine Milchschokolade."),
    N("de-religion-oath", "de", "Der Zeuge hat unter Eid ausgesagt, sagt der Anwalt."),
    # RELIGION, English
    N("en-religion-idiom", "en", "Oh my God, the parcel finally arrived, thank God!"),
    N("en-religion-address", "en", "Ship to 2 Church Lane, Oxford OX1 1AA."),
    N("en-religion-order-confirmation", "en", "Customer did not get the order confirmation email."),
    N("en-religion-first-name", "en", "Christian Bauer called about his refund."),
    N("en-religion-certificate-question", "en", "Is the gelatine in these sweets halal certified?"),
    N("en-religion-buddha-decor", "en", "A Buddha statue for the garden, stone grey please."),
    N("en-religion-neighbours-eid", "en", "Eid cards for all our neighbours, 20 in total please."),
    N("en-religion-lent-verb", "en", "I lent my card to my sister, can she pay with it?"),
    # ETHNIC_ORIGIN, German
    N("de-ethnic-nationality", "de", "Der Lieferant kommt aus Pakistan und spricht gut Deutsch."),
    N(
        "de-ethnic-school-topic",
        "de",
        "Ein Buch über die Geschichte der Sinti und Roma für das Referat.",
    ),
    N("de-ethnic-doll", "de", "Eine Puppe mit dunkler Haut für meine Sammlung bitte."),
    N("de-ethnic-surname", "de", "Rechnung an Herrn Schwarz, Birkenweg 3."),
    N("de-ethnic-product-origin", "de", "Ist das Olivenöl wirklich griechischer Herkunft?"),
    N("de-ethnic-city-rome", "de", "Wir fliegen nach Rom, bitte vorher liefern."),
    # ETHNIC_ORIGIN, English
    N("en-ethnic-nationality", "en", "Our supplier is Nigerian-born and based in Leeds."),
    N("en-ethnic-black-friday", "en", "Is the Black Friday discount still valid?"),
    N("en-ethnic-frequent-traveller", "en", "I'm a frequent traveller, please hold the parcel."),
    N("en-ethnic-indian-takeaway", "en", "Deliver to the Indian takeaway next door if I'm out."),
    N("en-ethnic-doll", "en", "Doll with brown skin and curly hair for my collection."),
    N("en-ethnic-white-background", "en", "Please print the logo on a white background."),
    # POLITICAL_OPINION, German
    N("de-political-green-jacket", "de", "Die grüne Jacke in Größe M bitte, nicht die rote."),
    N("de-political-left-handed", "de", "Mein Sohn ist Linkshänder, gibt es die Schere für links?"),
    N("de-political-demo-version", "de", "Die Demo-Version der Software läuft nicht."),
    N(
        "de-political-flyer-complaint",
        "de",
        "Kunde beschwert sich über Wahlwerbung der SPD im Paket.",
    ),
    N("de-political-football", "de", "Trikot von Union Berlin in Größe 140."),
    N("de-political-no-interest", "de", "Ich bin kein Fan von Politik, bitte neutrale Karten."),
    N("de-political-volt", "de", "Netzteil mit 12 Volt bitte."),
    # POLITICAL_OPINION, English
    N("en-political-labour-day", "en", "Is the Labour Day sale still on?"),
    N(
        "en-political-conservative-club",
        "en",
        "Drop the boxes at the Conservative Club, back entrance.",
    ),
    N(
        "en-political-conservative-estimate",
        "en",
        "A conservative estimate is three days for delivery.",
    ),
    N("en-political-politics-book", "en", "A book on party politics for my dad's birthday."),
    N("en-political-green-tea", "en", "Green tea and a Liberal amount of honey please."),
    # TRADE_UNION, German
    N("de-union-street", "de", "Lieferung an Gewerkschaftsstraße 5, Hinterhaus."),
    N("de-union-works-council", "de", "Der Betriebsrat bestellt 40 Tassen für das Sommerfest."),
    N("de-union-employers", "de", "Herr Vogel ist Geschäftsführer im Arbeitgeberverband Chemie."),
    N(
        "de-union-strike-supplier",
        "de",
        "Wegen eines Warnstreiks bei ver.di kommt die Ware später.",
    ),
    N("de-union-composer", "de", "Eine CD mit dem Requiem von Verdi bitte."),
    N("de-union-weight", "de", "Gew. 2,5 kg, Maße 30x20x10 cm."),
    # TRADE_UNION, English
    N("en-union-jack", "en", "Union Jack napkins, pack of 50."),
    N("en-union-credit-union", "en", "Can I pay with my credit union card?"),
    N("en-union-european-union", "en", "Do you ship outside the European Union?"),
    N("en-union-students-union", "en", "Deliver to the students' union reception desk."),
    N(
        "en-union-discount-question",
        "en",
        "Is there a union discount? I'm not a member of any union.",
    ),
    N("en-union-unite-verb", "en", "Let's unite the two orders into one parcel."),
    # SEX_LIFE, German
    N("de-sex-book", "de", "Stolz und Vorurteil als gebundene Ausgabe bitte."),
    N("de-sex-rainbow", "de", "Eine Tasse mit Regenbogen-Motiv für meine Kollegin."),
    N("de-sex-transport", "de", "Transportschaden gemeldet, Foto liegt vor."),
    N(
        "de-sex-my-wife-unknown-writer",
        "de",
        "Das Geschenk ist für meine Frau, bitte neutral verpacken.",
    ),
    N("de-sex-formal-your-wife", "de", "Ihre Frau hat bereits angerufen, Herr Maurer."),
    N("de-sex-idiom", "de", "Er hat in der Krise seinen Mann gestanden."),
    # SEX_LIFE, English
    N("en-sex-pride-and-prejudice", "en", "Pride and Prejudice, the illustrated edition."),
    N("en-sex-queen-size", "en", "Queen-size sheets in grey."),
    N("en-sex-bi-weekly", "en", "Please switch me to bi-weekly deliveries."),
    N("en-sex-transformers", "en", "Transformers figure for my nephew."),
    N("en-sex-my-husband", "en", "My husband will collect the parcel."),
    N("en-sex-coming-out-of", "en", "The new model is coming out in May, can I preorder?"),
    # GENETIC, German
    N("de-genetic-gift-kit", "de", "Ich wünsche mir einen DNA-Test zum Geburtstag."),
    N("de-genetic-book", "de", "Das Buch „Erbkrankheiten im Alltag“ als Taschenbuch."),
    N("de-genetic-heirloom", "de", "Die Kette ist ein Erbstück von meiner Oma."),
    N("de-genetic-inheritance", "de", "Wir haben das Haus geerbt und ziehen um."),
    N("de-genetic-kids-kit", "de", "Experimentierkasten Genetik für Kinder ab 10."),
    # GENETIC, English
    N("en-genetic-gift-kit", "en", "I'd love an ancestry DNA kit for Christmas."),
    N("en-genetic-company-dna", "en", "Sustainability is in our DNA, says the supplier."),
    N("en-genetic-book", "en", "A book about hereditary disease for my course."),
    N("en-genetic-inherited-house", "en", "She inherited the house and wants a new doorbell."),
    N("en-genetic-kids-kit", "en", "Kids' genetics kit with microscope, ages 8+."),
    # BIOMETRIC, German
    N("de-biometric-safe", "de", "Tresor mit Fingerabdrucksensor im Angebot?"),
    N("de-biometric-craft", "de", "Bastelset mit Fingerabdruck-Tieren und Stempelkissen."),
    N("de-biometric-refused", "de", "Der Fahrer hat die Abgabe seines Fingerabdrucks verweigert."),
    N("de-biometric-first-name", "de", "Iris Lehmann hat den Auftrag bestätigt."),
    N("de-biometric-phone-feature", "de", "Kundin fragt, warum Face ID am Handy nicht geht."),
    # BIOMETRIC, English
    N("en-biometric-safe", "en", "Does the safe with fingerprint lock come in black?"),
    N(
        "en-biometric-face-id-support",
        "en",
        "Customer asked why Face ID stopped working after the update.",
    ),
    N(
        "en-biometric-refused",
        "en",
        "Customer declined the fingerprint enrolment, PIN issued instead.",
    ),
    N("en-biometric-first-name", "en", "Iris from accounts will send the statement."),
    N("en-biometric-craft", "en", "Fingerprint art craft kit with ink pad."),
]
