"""The "floor" of the large-territory benchmark: a bare Flask app on the same database.

Each route runs the one SQL query (two for the home and results pages: their two lists) that gives the
rows the measured page shows, and renders them with a minimal Jinja template, so that the ratio to the
real page is the platform's own overhead (ORM, permissions, translations, forms, templates, layout).

Served by gunicorn exactly like the app: `gunicorn 'tests.bench.territory_floor:create_app()'`, with
BENCH_FLOOR_DATABASE_URL (an SQLAlchemy URL) and BENCH_FLOOR_TARGETS (the JSON of territory_data.Targets).
"""

from __future__ import annotations

import hashlib
import json
import os

from flask import Flask, Response, jsonify, request
from sqlalchemy import create_engine, text

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>{% block body %}{% endblock %}</main></body></html>"""

HOME = """{% extends "page" %}{% block body %}
<h2>Ateliers en cours</h2><ul>{% for w in workshops %}
<li><a href="/councils/{{ w.slug }}/workshops/{{ w.id }}">{{ w.title }}</a>
{{ w.name }} · {{ w.starts_at }} · {{ w.phase }}</li>
{% endfor %}</ul><h2>Conseils</h2><ul>{% for c in councils %}
<li><a href="/councils/{{ c.slug }}">{{ c.name }}</a> {{ c.territory }}</li>{% endfor %}</ul>{% endblock %}"""

WORKSHOP = """{% extends "page" %}{% block body %}
<p>{{ total }} propositions, page {{ page }}</p><ol start="{{ first }}">{% for p in rows %}
<li lang="{{ p.language }}"><h3>{{ p.title }}</h3><p>{{ p.body }}</p>
<p>{{ p.paper_author if p.origin == 'paper' else p.display_name }} ·
{{ p.supports }} soutiens ({{ p.paper }} sur papier)</p></li>
{% endfor %}</ol>{% endblock %}"""

RESULTS = """{% extends "page" %}{% block body %}
<table>{% for key in ranking %}
<tr><th>{{ labels.get(key, key) }}</th><td>{{ votes.get(key, 0) }}</td></tr>{% endfor %}</table>
<p>{{ ballots }} bulletins</p><table>{% for r in roll %}
<tr><td>{{ r.display_name }}</td><td>{{ r.channel }}</td><td>{{ labels.get(r.content, '') }}</td></tr>
{% endfor %}</table>{% endblock %}"""

PROJECTOR = """<h2>{{ total }} propositions</h2><ol>{% for p in rows %}
<li><span lang="{{ p.language }}">{{ p.title }}</span> <span>{{ p.supports }} soutiens</span></li>{% endfor %}</ol>"""

VISIBLE = "('submitted', 'accepted')"

# The page is read from the stored total in the order of ix_proposals_workshop_ranking; only its rows are
# counted (online supports, paper counts); the visible total is one count, computed once.
RANKED = f"""
SELECT p.id, p.title, p.body, p.language, p.origin, p.paper_author, u.display_name,
       (SELECT count(*) FROM supports s WHERE s.proposal_id = p.id)
       + (SELECT COALESCE(sum(c.count), 0) FROM paper_counts c WHERE c.proposal_id = p.id) AS supports,
       (SELECT COALESCE(sum(c.count), 0) FROM paper_counts c WHERE c.proposal_id = p.id) AS paper,
       (SELECT count(*) FROM proposals v
        WHERE v.workshop_id = :workshop AND v.status IN {VISIBLE} AND v.hidden_at IS NULL) AS total
FROM (SELECT id FROM proposals
      WHERE workshop_id = :workshop AND status IN {VISIBLE} AND hidden_at IS NULL
      ORDER BY support_total DESC, created_at, id
      LIMIT :limit OFFSET :offset) page
JOIN proposals p ON p.id = page.id
LEFT JOIN users u ON u.id = p.author_id
ORDER BY p.support_total DESC, p.created_at, p.id
"""

API = f"""
SELECT p.id, p.workshop_id, c.slug AS council, t.id AS theme_id, t.name AS theme_name, p.title, p.body,
       p.language, p.status, p.origin, u.display_name, p.created_at, p.updated_at,
       (SELECT count(s.id) FROM supports s WHERE s.proposal_id = p.id) AS online,
       (SELECT COALESCE(sum(pc.count), 0) FROM paper_counts pc WHERE pc.proposal_id = p.id) AS paper
FROM proposals p
JOIN workshops w ON w.id = p.workshop_id
JOIN councils c ON c.id = w.council_id
LEFT JOIN themes t ON t.id = p.theme_id
LEFT JOIN users u ON u.id = p.author_id
WHERE w.is_published = :published AND p.status IN {VISIBLE} AND p.workshop_id = :workshop
ORDER BY p.id LIMIT :limit
"""

HOME_WORKSHOPS = """
SELECT w.id, w.title, w.starts_at, w.phase, c.slug, c.name FROM workshops w JOIN councils c ON c.id = w.council_id
WHERE w.is_published = :published AND w.phase <> 'closed' ORDER BY w.starts_at LIMIT 20
"""
HOME_COUNCILS = "SELECT slug, name, territory FROM councils ORDER BY name"

VOTE = """
SELECT v.question, v.result, o.id AS option_id, o.label FROM votes v JOIN vote_options o ON o.vote_id = v.id
WHERE v.id = :vote ORDER BY o.position
"""
ROLL_CALL = """
SELECT u.display_name, vp.channel, b.content
FROM vote_participations vp
LEFT JOIN users u ON u.id = vp.voter_id
LEFT JOIN vote_ballots b ON b.vote_id = vp.vote_id AND b.voter_id = vp.voter_id
WHERE vp.vote_id = :vote ORDER BY u.display_name, vp.voter_id LIMIT 200  -- the page shows 200 names at a time
"""


def create_app() -> Flask:
    targets = json.loads(open(os.environ["BENCH_FLOOR_TARGETS"]).read())  # noqa: SIM115
    engine = create_engine(os.environ["BENCH_FLOOR_DATABASE_URL"], pool_size=5)
    app = Flask(__name__)
    app.jinja_env.loader = None
    templates = {"page": PAGE, "home": HOME, "workshop": WORKSHOP, "results": RESULTS, "projector": PROJECTOR}
    from jinja2 import DictLoader

    app.jinja_env.loader = DictLoader(templates)
    workshop_id = targets["big_workshop_id"]
    vote_id = targets["results_vote_id"]

    def rows(sql: str, **params):
        with engine.connect() as connection:
            return connection.execute(text(sql), params).mappings().all()

    def render(name: str, **context) -> str:
        return app.jinja_env.get_template(name).render(**context)

    @app.get("/healthz")
    def health():
        rows("SELECT 1")
        return {"status": "ok"}

    @app.get("/floor/home")
    def home():
        return render(
            "home",
            title="Accueil",
            workshops=rows(HOME_WORKSHOPS, published=True),
            councils=rows(HOME_COUNCILS),
        )

    @app.get("/floor/workshop")
    def workshop():
        page = max(1, request.args.get("page", 1, type=int))
        found = rows(RANKED, workshop=workshop_id, limit=50, offset=(page - 1) * 50)
        total = found[0]["total"] if found else 0
        return render("workshop", title="Atelier", rows=found, total=total, page=page, first=(page - 1) * 50 + 1)

    @app.get("/floor/api")
    def api():
        found = rows(API, workshop=workshop_id, published=True, limit=101)
        data = [
            {
                "id": r["id"],
                "workshop_id": r["workshop_id"],
                "council": r["council"],
                "theme": {"id": r["theme_id"], "name": r["theme_name"]} if r["theme_id"] else None,
                "title": r["title"],
                "body": r["body"],
                "language": r["language"],
                "status": r["status"],
                "origin": r["origin"],
                "author_name": r["display_name"] if r["origin"] != "paper" else None,
                "supports": {"online": r["online"], "paper": r["paper"], "total": r["online"] + r["paper"]},
                "created_at": str(r["created_at"]),
                "updated_at": str(r["updated_at"]),
            }
            for r in found[:100]
        ]
        return jsonify(data=data, next_cursor=str(found[-1]["id"]) if len(found) > 100 else None)

    @app.get("/floor/results")
    def results():
        vote = rows(VOTE, vote=vote_id)
        result = vote[0]["result"]
        if isinstance(result, str):
            result = json.loads(result)
        labels = {str(r["option_id"]): r["label"] for r in vote}
        roll = [dict(r) for r in rows(ROLL_CALL, vote=vote_id)]
        for entry in roll:  # the JSON column comes back decoded on PostgreSQL, as text on SQLite
            if isinstance(entry["content"], str) and entry["content"].startswith('"'):
                entry["content"] = json.loads(entry["content"])
        ranking = [key for tier in result["ranking"] for key in tier]
        return render(
            "results",
            title=vote[0]["question"],
            ranking=ranking,
            votes=result["details"].get("votes", {}),
            labels=labels,
            ballots=result["ballots"],
            roll=roll,
        )

    @app.get("/floor/projector")
    def projector():
        found = rows(RANKED, workshop=workshop_id, limit=12, offset=0)
        etag = hashlib.sha256(json.dumps([list(r.values()) for r in found], default=str).encode()).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            total = found[0]["total"] if found else 0
            response = Response(render("projector", rows=found, total=total), mimetype="text/html")
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    return app
