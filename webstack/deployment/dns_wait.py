"""What `up` shows when the domain's DNS is elsewhere (`hosted_zone: external`): ACM's validation
records the moment the engine reports each new certificate, before the certificate validations
start waiting for them; the full record list after a successful `up`; and, when a validation
gives up, which records ACM never saw and what to do next."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from components.dns_certificate import VALIDATION_PURPOSE, validation_records
from webstack.program.config import StackConfig
from webstack.program.dns_handoff import OUTPUT, external_dns

CERTIFICATE = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
AFTER_APPLY = "<known after apply>"
# The provider's words when a validation's create timeout runs out (terraform-provider-aws,
# aws_acm_certificate_validation: "waiting for ACM Certificate (...) to be issued: timeout ...").
TIMEOUT_WORDS = "to be issued"
PROXY_NOTE = (
    "Create them DNS only: a proxied record (Cloudflare's orange cloud) in front of CloudFront is not supported "
    "(README, DNS elsewhere)."
)


def records_table(records: Sequence[Mapping[str, str]], *, after_apply: bool, title: str) -> Table:
    """The records as a table. ``after_apply``: the values (and ACM's record names) are the mocks',
    so each shows only the part AWS fixes (the service's domain) behind "<known after apply>"."""
    table = Table(title=title, title_justify="left")
    for column in ("name", "type", "value", "purpose"):
        table.add_column(column)
    for record in records:
        name, value = str(record.get("name", "")), str(record.get("value", ""))
        if after_apply:
            value = f"{AFTER_APPLY}.{value.split('.', 1)[-1]}"
            if str(record.get("purpose", "")).startswith(VALIDATION_PURPOSE):
                name = f"{AFTER_APPLY}.{name.split('.', 1)[-1]}"
        row = (name, str(record.get("type", "")), value, str(record.get("purpose", "")))
        table.add_row(*(Text(cell) for cell in row))
    return table


def event_options(options: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str, str, str]]:
    """A certificate's domainValidationOptions as the engine reports them (camelCase)."""
    return [
        (
            str(o.get("domainName") or ""),
            str(o.get("resourceRecordName") or ""),
            str(o.get("resourceRecordType") or ""),
            str(o.get("resourceRecordValue") or ""),
        )
        for o in options or []
    ]


@dataclass
class ValidationWatch:
    """Follows one `up`'s engine events for a stack whose DNS is elsewhere."""

    stack: str
    domain: str
    timeout_minutes: int
    console: Console
    records: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    # What the engine said of a certificate validation that failed ("" while none has).
    failure: str = ""

    @classmethod
    def of(cls, stack: str, config: StackConfig, console: Console) -> ValidationWatch | None:
        if not external_dns(config) or config.domain is None or config.domain.name is None:
            return None
        return cls(stack, config.domain.name, config.domain.validation_timeout_minutes, console)

    def see(self, event: Any) -> None:
        diagnostic = getattr(event, "diagnostic_event", None)
        if diagnostic is not None and diagnostic.severity == "error" and VALIDATION in str(diagnostic.urn or ""):
            self.failure = str(diagnostic.message or "") or TIMEOUT_WORDS
        metadata = getattr(getattr(event, "res_outputs_event", None), "metadata", None)
        if metadata is None or metadata.type != CERTIFICATE:
            return
        outputs = getattr(metadata.new or metadata.old, "outputs", None) or {}
        if outputs.get("status") == "ISSUED":
            return
        fresh = []
        for record in validation_records(event_options(outputs.get("domainValidationOptions"))):
            key = (record["name"], record["type"], record["value"])
            if key not in self.records:
                self.records[key] = record
                fresh.append(record)
        if fresh:
            self.console.print(
                records_table(fresh, after_apply=False, title=f"Create now at the DNS provider of {self.domain}")
            )
            self.console.print(
                Text(
                    f"up waits up to {self.timeout_minutes} minutes (webstack:domain.validation_timeout_minutes) "
                    f"for ACM to see them. {PROXY_NOTE}"
                )
            )

    def explain(self, error: Exception) -> None:
        """After a failed `up`: if a certificate validation gave up, which records to create and how
        to go on (nothing else is lost: the certificates wait, the next `up` carries on)."""
        said = f"{self.failure}\n{error}"
        if not (self.failure or TIMEOUT_WORDS in said):
            return
        if "timeout" not in said:
            # ACM answered FAILED (a CAA record that does not admit amazon.com, say): no wait helps.
            self.console.print(
                Text(
                    f"ACM refused to issue the certificates of {self.domain} (the error above says why; a CAA record "
                    "must admit amazon.com). ACM does not retry a failed certificate: fix the cause, replace it "
                    "(`pulumi up --replace <its URN>`; `pulumi stack --show-urns` lists them), then run `webstack up "
                    f"{self.stack}`.",
                    style="red",
                )
            )
            return
        self.console.print(
            Text(
                f"ACM did not issue the certificates of {self.domain} within {self.timeout_minutes} minutes "
                "(webstack:domain.validation_timeout_minutes): it has not seen their validation records at your "
                "DNS provider. Create them (check with `dig +short CNAME <name>`), then run `webstack up "
                f"{self.stack}` again; ACM keeps each certificate pending for 72 hours after it was requested. "
                f"{PROXY_NOTE}",
                style="red",
            )
        )
        if self.records:
            self.console.print(
                records_table(list(self.records.values()), after_apply=False, title="Validation records ACM waits for")
            )
        else:
            self.console.print(
                Text(
                    "The records are on each certificate's page in the ACM console (us-east-1 and the stack's region)."
                )
            )

    def summary(self, outputs: Mapping[str, Any]) -> None:
        """After a successful `up`: every record the stack needs at the provider."""
        records = outputs.get(OUTPUT) or []
        if records:
            self.console.print(
                records_table(records, after_apply=False, title=f"DNS records of {self.domain} at your DNS provider")
            )
            self.console.print(Text(PROXY_NOTE))
