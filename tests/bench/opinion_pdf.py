"""Benchmark: export of a 300-proposal opinion, against WeasyPrint's own time for the same HTML.

Run: python -m tests.bench.opinion_pdf [--proposals 300] [--repeat 3]
Prints one table: the platform's export (template + WeasyPrint) and WeasyPrint alone, best of N,
with the ratio (target: within 1.3x) and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta


def build(proposals: int):
    from consultation import create_app
    from consultation.accounts.models import User
    from consultation.councils.models import Council
    from consultation.extensions import db
    from consultation.opinions.models import Opinion, OpinionItem, Recommendation
    from consultation.proposals.models import Proposal
    from consultation.workshops.models import Workshop

    path = os.path.join(tempfile.mkdtemp(prefix="bench-pdf-"), "bench.sqlite")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "AUTO_MIGRATE": True})
    with app.app_context():
        now = datetime(2026, 11, 28, tzinfo=UTC)
        council = Council(slug="bench", name="Conseil citoyen de Macouria – Sainte-Agathe")
        author = User(email="bench@example.org", display_name="Bench", password_hash="x")
        workshop = Workshop(
            council=council, title="Atelier de référence", starts_at=now, ends_at=now + timedelta(hours=2)
        )
        db.session.add_all([council, author, workshop])
        db.session.flush()
        opinion = Opinion(
            council=council,
            workshop=workshop,
            title="Avis de référence",
            language="fr",
            context="Contexte. " * 40,
            findings="Constats. " * 60,
            dissent="Avis divergent. " * 20,
        )
        for index in range(proposals):
            proposal = Proposal(
                workshop=workshop,
                author=author,
                title=f"Proposition n° {index + 1} pour le quartier",
                body="Texte.",
                language="fr",
            )
            db.session.add(proposal)
            db.session.flush()
            opinion.items.append(
                OpinionItem(proposal_id=proposal.id, position=index + 1, support_count=proposals - index)
            )
        for index in range(12):
            opinion.recommendation_list.append(
                Recommendation(position=index + 1, text=f"Recommandation {index + 1}. " * 8)
            )
        db.session.add(opinion)
        db.session.commit()
        return app, opinion.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()

    from weasyprint import HTML

    from consultation.extensions import db
    from consultation.opinions.models import Opinion
    from consultation.opinions.pdf import opinion_pdf_html, render_opinion_pdf
    from consultation.pdf import PDF_VARIANT, NoRemoteFetcher

    app, opinion_id = build(args.proposals)
    with app.test_request_context():
        opinion = db.session.get(Opinion, opinion_id)
        html = opinion_pdf_html(opinion, "fr")
        ours, theirs = [], []
        data = b""

        def export() -> None:
            nonlocal data
            db.session.expire_all()
            began = time.perf_counter()
            data = render_opinion_pdf(db.session.get(Opinion, opinion_id), "fr")
            ours.append(time.perf_counter() - began)

        def weasyprint_alone() -> None:
            began = time.perf_counter()
            HTML(string=html, url_fetcher=NoRemoteFetcher()).write_pdf(pdf_variant=PDF_VARIANT)
            theirs.append(time.perf_counter() - began)

        for run in range(args.repeat):
            # Alternate which goes first, so that warm caches favour neither.
            for step in (export, weasyprint_alone) if run % 2 == 0 else (weasyprint_alone, export):
                step()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'measure':<40}{'seconds':>10}")
    print(f"{'export, template + WeasyPrint (best)':<40}{min(ours):>10.2f}")
    print(f"{'WeasyPrint alone, same HTML (best)':<40}{min(theirs):>10.2f}")
    print(f"{'ratio (target <= 1.3)':<40}{min(ours) / min(theirs):>10.2f}")
    print(f"{'proposals':<40}{args.proposals:>10}")
    print(f"{'PDF size (KB)':<40}{len(data) / 1024:>10.0f}")
    print(f"{'peak memory of the process (MB)':<40}{peak_mb:>10.0f}")


if __name__ == "__main__":
    main()
