"""The composer of generated demands and organisations: random but reproducible contents from
the phrase banks (:mod:`.words`), with valid unified social credit codes in a range that marks
them as generated."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.credit_code import ALPHABET, check_character
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from common.regions import LOCALITIES, PROVINCES

from ..enums import (
    CooperationMode,
    DemandStatus,
    DemandType,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from ..models import Demand
from .banks import BANKS
from .words import (
    AREA_CODES,
    BASE_SENTENCES,
    BRANDS,
    CONDITION_SENTENCES,
    CROSS_SENTENCE,
    CROSS_SHARE,
    CROSS_TOPICS,
    DOMAIN_WORDS,
    FORM_WORDS,
    OUTCOME_SENTENCES,
    PARTNERS,
    PROBLEM_SENTENCES,
    SECRET_SENTENCES,
    STREETS,
    SURNAMES,
    TITLE_PATTERNS,
    TITLES,
)

# --- markers of generated rows ----------------------------------------------------------------
CODE_MARKER = "BENCH"  # positions 9-13 of a generated organisation's credit code
CODE_MARKER_REGEX = r"^.{8}BENCH"
GENERATOR_EMAIL = "generate_demands@generated.invalid"

# Shares of the generated population.
CLOSED_SHARE = 0.08
NATIONAL_SHARE = 0.05
HIDDEN_PASSAGE_SHARE = 0.15
HIDE_SHARES = {
    HideableField.ORGANISATION: 0.30,
    HideableField.CONTACT_PERSON: 0.10,
    HideableField.PHONE: 0.25,
    HideableField.EMAIL: 0.15,
    HideableField.ADDRESS: 0.20,
    HideableField.BUDGET: 0.20,
    HideableField.PRIZE: 0.05,
}
DEMANDS_PER_ORGANISATION = 4


# --- the composer ----------------------------------------------------------------------------
class Composer:
    """Random but reproducible contents of demands and organisations."""

    def __init__(self, rng, *, now):
        self.rng = rng
        self.now = now

    def pick(self, items, k=None):
        return self.rng.choice(items) if k is None else self.rng.sample(items, k)

    def number(self, low, high, decimals):
        value = self.rng.uniform(low, high)
        return f"{value:.{decimals}f}" if decimals else str(round(value))

    def indicators(self, bank):
        rows = []
        for name, op, unit, low, high, decimals in self.pick(
            bank["indicators"], self.rng.randint(2, 4)
        ):
            target = self.number(low, high, decimals)
            current = self.number(low * 0.6, low, decimals) if self.rng.random() < 0.7 else ""
            rows.append((name, f"{op}{target}", unit, current))
        return rows

    def words(self, bank):
        indicator = self.pick(bank["indicators"])
        aspect, other_aspect = self.pick(bank["aspects"], 2)
        return {
            "subject": self.pick(bank["subjects"]),
            "aspect": aspect,
            "other_aspect": other_aspect,
            "scenario": self.pick(bank["scenarios"]),
            "method": self.pick(bank["methods"]),
            "issue": self.pick(bank["issues"]),
            "indicator": indicator[0],
            "target": f"{indicator[1]}{self.number(*indicator[3:])}{indicator[2]}",
            "cross": self.pick(CROSS_TOPICS),
            "partner": self.pick(PARTNERS),
            "form": self.pick(FORM_WORDS),
            "year": self.rng.randint(1995, 2019),
            "revenue": self.rng.randint(1, 80),
            "patents": self.rng.randint(2, 60),
            "staff": self.rng.randint(15, 400),
            "doctors": self.rng.randint(1, 30),
            "capacity": self.rng.randint(100, 20000),
            "code": "".join(self.rng.choice("ABCDEFGHKMNPRTXY") for _ in range(2))
            + str(self.rng.randint(2, 99)),
            "rate": self.rng.randint(80, 99),
            "amount": self.rng.randint(50, 5000),
        }

    def sentences(self, templates, words, low, high):
        chosen = self.pick(templates, self.rng.randint(low, min(high, len(templates))))
        return "".join(template.format(**words) for template in chosen)

    def organisation(self, *, bank_name, region, serial):
        """A new organisation in ``region`` whose credit code is the ``serial``-th of the
        generated range (valid check character)."""
        kind = self.rng.choices(
            [OrganisationKind.ENTERPRISE, OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE],
            weights=[88, 6, 6],
        )[0]
        city = LOCALITIES.get(region) or PROVINCES.get(region[:2] + "0000", "")
        if kind == OrganisationKind.ENTERPRISE:
            suffix = self.pick(["科技有限公司", "股份有限公司", "技术有限公司", "集团有限公司"])
            name = f"{city}{self.pick(BRANDS)}{self.pick(DOMAIN_WORDS[bank_name])}{suffix}"
            head = "91"
        elif kind == OrganisationKind.UNIVERSITY:
            name = f"{city}{self.pick(['理工大学', '工业大学', '科技大学', '职业技术大学'])}"
            head = "12"
        else:
            name = f"{city}{self.pick(DOMAIN_WORDS[bank_name])}研究院"
            head = "12"
        return Organisation(
            name=name,
            kind=kind,
            credit_code=generated_credit_code(head, region, serial),
            region=region,
            address=f"{city}{self.pick(STREETS)}{self.rng.randint(1, 999)}号",
            verified=True,
        )

    def demand(self, *, bank_name, organisation):
        """An unsaved demand (without host unit, references or search columns) and its
        indicator rows ``[(name, target, unit, current)]``."""
        rng = self.rng
        bank = BANKS[bank_name]
        words = self.words(bank)
        title = self.pick(TITLE_PATTERNS).format(**words)[:120]
        key_problem = self.sentences(PROBLEM_SENTENCES, words, 2, 4)
        if rng.random() < CROSS_SHARE:
            key_problem += CROSS_SENTENCE.format(**words)
        current_base = self.sentences(BASE_SENTENCES, words, 2, 3)
        hidden_passages = []
        if rng.random() < HIDDEN_PASSAGE_SHARE:
            secret = self.pick(SECRET_SENTENCES).format(**words)
            current_base += secret
            hidden_passages.append(secret.rstrip("。"))
        hidden = [name for name, share in HIDE_SHARES.items() if rng.random() < share]
        status = DemandStatus.CLOSED if rng.random() < CLOSED_SHARE else DemandStatus.PUBLISHED
        published_at = self.now - timedelta(minutes=rng.randint(60, 300 * 24 * 60))
        closed_at = None
        if status == DemandStatus.CLOSED:
            closed_at = min(self.now, published_at + timedelta(days=rng.randint(30, 90)))
            deadline = timezone.localdate(closed_at) - timedelta(days=1)
        else:
            deadline = timezone.localdate(self.now) + timedelta(days=rng.randint(10, 180))
        national = rng.random() < NATIONAL_SHARE
        keywords = list(
            dict.fromkeys(self.pick(bank["keywords"], rng.randint(2, 4)) + [words["aspect"]])
        )[:5]
        region = organisation.region
        area = AREA_CODES.get(region[:2], "0" + region[:3])
        mailbox = self.pick(["qq.com", "163.com", "example.cn"])
        return Demand(
            organisation=organisation,
            status=status,
            title=title,
            demand_type=rng.choices(DemandType.values, weights=[40, 20, 20, 10, 8, 2])[0],
            keywords=keywords,
            current_base=current_base,
            key_problem=key_problem,
            expected_outcome=self.sentences(OUTCOME_SENTENCES, words, 2, 3),
            outcome_forms=self.pick(OutcomeForm.values, rng.randint(1, 3)),
            time_requirement=f"{rng.choice([6, 9, 12, 18, 24, 36])}个月内完成{words['form']}",
            cooperation_modes=self.pick(CooperationMode.values, rng.randint(1, 2)),
            ip_ownership=self.pick(IPOwnership.values),
            challenger_conditions=self.sentences(CONDITION_SENTENCES, words, 1, 2),
            budget=Decimal(rng.randint(20, 2000)),
            prize=Decimal(rng.choice([5, 10, 20, 30, 50])),
            solution_deadline=deadline,
            region=region,
            address=organisation.address,
            contact_person=f"{self.pick(SURNAMES)}{self.pick(TITLES)}",
            contact_mobile=f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
            contact_landline=f"{area}-{rng.randint(60000000, 89999999)}",
            contact_email=f"contact{rng.randint(1000, 999999)}@{mailbox}",
            contact_consents_sharing=True,
            contact_consent_at=published_at,
            hidden_fields=hidden,
            hidden_passages=hidden_passages,
            national=national,
            national_marked_at=published_at if national else None,
            submitted_at=published_at - timedelta(days=rng.randint(5, 40)),
            published_at=published_at,
            closed_at=closed_at,
        ), self.indicators(bank)


def generated_credit_code(head, region, serial):
    """``head`` (2 characters) + ``region`` + ``BENCH`` + ``serial`` in 4 characters of the
    alphabet + the check character."""
    digits = []
    for _ in range(4):
        serial, rest = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[rest])
    first17 = f"{head}{region}{CODE_MARKER}{''.join(reversed(digits))}"
    return first17 + check_character(first17)
