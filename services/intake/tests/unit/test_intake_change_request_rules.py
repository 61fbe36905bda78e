"""The change-request workflow (rules, section 9), without I/O."""

from __future__ import annotations

import pytest

from intake.domain.actors import ActorKind
from intake.domain.change_request import CR_MOVES, CrStatus, CrStep, advance, allowed_steps
from shared.errors import Conflict, Forbidden, Unprocessable

AGENT, CUSTOMER = ActorKind.agent, ActorKind.customer
FULL = {
    "person_hours": 8,
    "work_plan": "plan",
    "cost": 100,
    "delivery_date": "2027-01-01",
    "release_package": "p.zip",
    "instructions": "i",
    "test_plan": "t",
    "defect_protocol": "d",
}

PATH = [
    (CrStep.estimate, AGENT, CrStatus.estimated),
    (CrStep.send_proposal, AGENT, CrStatus.proposal_sent),
    (CrStep.approve, CUSTOMER, CrStatus.approved),
    (CrStep.start_development, AGENT, CrStatus.in_development),
    (CrStep.submit_to_vendor_testing, AGENT, CrStatus.vendor_testing),
    (CrStep.deliver, AGENT, CrStatus.delivered),
    (CrStep.start_customer_testing, CUSTOMER, CrStatus.customer_testing),
    (CrStep.report_defects, CUSTOMER, CrStatus.defects_reported),
    (CrStep.start_development, AGENT, CrStatus.in_development),
    (CrStep.submit_to_vendor_testing, AGENT, CrStatus.vendor_testing),
    (CrStep.deliver, AGENT, CrStatus.delivered),
    (CrStep.start_customer_testing, CUSTOMER, CrStatus.customer_testing),
    (CrStep.accept, CUSTOMER, CrStatus.accepted),
    (CrStep.deploy, AGENT, CrStatus.deployed),
]


class TestWorkflow:
    def test_the_whole_path_with_a_defect_round(self) -> None:
        status: str = CrStatus.submitted
        for step, actor, target in PATH:
            status = advance(status=status, step=step, actor=actor, details=FULL)
            assert status == target
        assert allowed_steps(status) == []

    def test_decline_is_final(self) -> None:
        assert (
            advance(status="proposal_sent", step=CrStep.decline, actor=CUSTOMER, details={})
            == CrStatus.declined
        )
        assert allowed_steps("declined") == []

    def test_a_revised_estimate_is_allowed_before_the_proposal(self) -> None:
        assert (
            advance(status="estimated", step=CrStep.estimate, actor=AGENT, details=FULL)
            == "estimated"
        )

    @pytest.mark.parametrize("step", [s for s, m in CR_MOVES.items() if m.by == ActorKind.customer])
    def test_customer_steps_refuse_agents(self, step: CrStep) -> None:
        source = next(iter(CR_MOVES[step].sources))
        with pytest.raises(Forbidden):
            advance(status=source, step=step, actor=AGENT, details=FULL)

    @pytest.mark.parametrize("step", [s for s, m in CR_MOVES.items() if m.by == ActorKind.agent])
    def test_agent_steps_refuse_customers(self, step: CrStep) -> None:
        source = next(iter(CR_MOVES[step].sources))
        with pytest.raises(Forbidden):
            advance(status=source, step=step, actor=CUSTOMER, details=FULL)

    def test_out_of_order_lists_allowed_steps(self) -> None:
        with pytest.raises(Conflict) as err:
            advance(status="submitted", step=CrStep.deploy, actor=AGENT, details=FULL)
        assert err.value.extensions["allowed"] == ["estimate"]

    @pytest.mark.parametrize(
        ("status", "step", "actor", "missing"),
        [
            (
                "submitted",
                CrStep.estimate,
                AGENT,
                ["person_hours", "work_plan", "cost", "delivery_date"],
            ),
            (
                "vendor_testing",
                CrStep.deliver,
                AGENT,
                ["release_package", "instructions", "test_plan"],
            ),
            ("customer_testing", CrStep.report_defects, CUSTOMER, ["defect_protocol"]),
        ],
    )
    def test_steps_need_their_documents(
        self, status: str, step: CrStep, actor: ActorKind, missing: list[str]
    ) -> None:
        with pytest.raises(Unprocessable) as err:
            advance(status=status, step=step, actor=actor, details={})
        assert err.value.extensions["missing"] == missing
