"""The curated vocabulary that links a posting's words to interview questions.

Each concept says how postings write it (`patterns`), how questions and answers show it
(`keywords`, matched against a question's text, tags and notes) and which competencies of
core/vocabulary.py it probes. "Partner with operations and finance stakeholders" finds
*stakeholder management*, which leads to questions tagged "stakeholders" or whose
competencies include "stakeholders" and "influence".

Patterns and keywords are matched on stems (core/words.py), so "negotiating renewals" meets
"negotiate" and "renewal". Kinds:

- competency: what interviewers probe in any role (leadership, prioritisation);
- practice: a skill of a trade (A/B testing, renewals, on-call);
- tool: a named technology or product (SQL, Salesforce, Snowflake);
- logistics: conditions of the job (night shifts, travel, relocation, visas);
- industry: the trade the company is in (logistics): context for a line, not its duty.

Generic competencies weigh less than practices and tools: every posting asks for
communication, few for renewals.
"""

from __future__ import annotations

from dataclasses import dataclass

from drill.core.words import keep_whole, stems, tokens


@dataclass(frozen=True, slots=True)
class Concept:
    label: str
    kind: str
    patterns: tuple[str, ...]  # how postings write it
    keywords: tuple[str, ...]  # how questions (and answers) show it
    competencies: tuple[str, ...]  # what it probes, from vocabulary.COMPETENCIES
    weight: float

    @property
    def pattern_stems(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(stems(p)) for p in self.patterns)

    @property
    def keyword_stems(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(stems(k)) for k in self.keywords)


def _c(
    label: str, kind: str, *, posting: str, question: str, probes: str, weight: float
) -> Concept:
    """A concept from `; `-separated phrasings and comma-separated competencies."""
    return Concept(
        label,
        kind,
        tuple(p.strip() for p in posting.split(";") if p.strip()),
        tuple(k.strip() for k in question.split(";") if k.strip()),
        tuple(c.strip() for c in probes.split(",") if c.strip()),
        weight,
    )


CONCEPTS: tuple[Concept, ...] = (
    # -- competencies ------------------------------------------------------------------------------
    _c(
        "stakeholder management",
        "competency",
        posting=(
            "stakeholder; cross functional; cross-functional partners; business partners; "
            "buy-in; align teams; alignment across; align stakeholders; work closely with; "
            "partner with"
        ),
        question="stakeholder; cross-functional; align; buy-in; alignment",
        probes="stakeholders, influence",
        weight=0.9,
    ),
    _c(
        "communication",
        "competency",
        posting=(
            "communication; communicate; written and verbal; verbal and written; "
            "written and spoken; spoken and written; clear writing; write clearly; storytelling; "
            "presentation skills"
        ),
        question="communicate; communication; explain; audience",
        probes="communication",
        weight=0.4,
    ),
    _c(
        "explaining to non-specialists",
        "competency",
        posting=(
            "non-technical; non technical; explain complex; explain clearly; simply to people; "
            "outside your field; present findings; present your recommendations; "
            "translate technical"
        ),
        question="non-technical; audience; outside your field; explain something complex",
        probes="communication, stakeholders",
        weight=0.9,
    ),
    _c(
        "presenting",
        "competency",
        posting=(
            "present to; presenting; presentations; present findings; present your; "
            "executive presence; leadership team; senior managers; board"
        ),
        question="presentation; presenting; executive",
        probes="communication, influence",
        weight=0.6,
    ),
    _c(
        "leadership",
        "competency",
        posting=(
            "people leadership; leadership skills; leadership experience; proven leadership; "
            "lead a team; lead the team; lead and grow; leading teams; team lead; lead other; "
            "leading other; inspire"
        ),
        question="leadership; lead; inspire",
        probes="leadership",
        weight=0.9,
    ),
    _c(
        "people management",
        "competency",
        posting=(
            "direct reports; people manager; people management; line manage; line management; "
            "manage a team; managing a team; manage people; managing software engineers; "
            "managing engineers; team of; supervisors; managing managers; 1:1s; one-to-ones; "
            "one on ones; performance reviews; grow engineers; next level"
        ),
        question=(
            "your team; on your team; direct report; 1:1; management style; managed someone; "
            "manage managers; people you manage; your reports"
        ),
        probes="leadership, coaching, feedback",
        weight=1.2,
    ),
    _c(
        "hiring",
        "practice",
        posting=(
            "hiring; hire; recruit; recruiting; interview candidates; structured interviews; "
            "build the team; grow the team; job description"
        ),
        question="hire; hiring; recruit",
        probes="hiring",
        weight=1.1,
    ),
    _c(
        "performance management",
        "practice",
        posting=(
            "underperformance; underperforming; performance management; manage performance; "
            "falls short; poor performance; performance issues; performance improvement"
        ),
        question=(
            "underperforming; underperformance; underperformer; performance management; "
            "improvement plan; let someone go; falls short"
        ),
        probes="feedback, coaching, leadership",
        weight=1.2,
    ),
    _c(
        "goals and accountability",
        "practice",
        posting=(
            "set goals; quarterly goals; okrs; objectives and key results; "
            "hold people accountable; accountable for"
        ),
        question="okr; set goals; team goals; accountable; accountability",
        probes="planning, leadership, ownership",
        weight=1.0,
    ),
    _c(
        "coaching and mentoring",
        "competency",
        posting=(
            "mentor; mentoring; coach; coaching; develop junior; grow engineers; "
            "develop your team; train and coach; train, and coach; grow people; "
            "less experienced"
        ),
        question="mentor; coach; junior; promotion; develop",
        probes="coaching, leadership",
        weight=1.0,
    ),
    _c(
        "feedback",
        "competency",
        posting=("feedback; direct feedback; constructive feedback; coachability; coachable"),
        question="feedback; criticism",
        probes="feedback",
        weight=0.8,
    ),
    _c(
        "inclusive teams",
        "practice",
        posting=("inclusive; inclusion; diverse team; belonging; dei"),
        question="inclusive; inclusion; fairness; diverse; diversity",
        probes="leadership, hiring, teamwork",
        weight=1.0,
    ),
    _c(
        "conflict",
        "competency",
        posting=(
            "conflict; disagreement; difficult conversations; push back; pushback; "
            "resolve disputes; mediate"
        ),
        question="conflict; disagree; push back; difficult conversation",
        probes="conflict",
        weight=0.8,
    ),
    _c(
        "influence",
        "competency",
        posting=(
            "influence; persuade; persuasive; without authority; advocate; champion; win support"
        ),
        question="influence; persuade; convince; advocate; change their mind",
        probes="influence",
        weight=0.8,
    ),
    _c(
        "prioritization",
        "competency",
        posting=(
            "prioritise; prioritize; prioritisation; prioritization; priorities; "
            "competing priorities; trade-offs; trade offs; tradeoffs; ad hoc requests; "
            "multiple projects; juggle; urgent"
        ),
        question="prioritize; priority; trade-off; urgent; backlog",
        probes="prioritization, decision-making",
        weight=0.9,
    ),
    _c(
        "ambiguity",
        "competency",
        posting=(
            "ambiguity; ambiguous; undefined; unclear; from scratch; zero to one; 0 to 1; "
            "startup; without clear direction"
        ),
        question="ambiguity; unclear; without clear direction; ambiguous",
        probes="ambiguity",
        weight=0.8,
    ),
    _c(
        "ownership",
        "competency",
        posting=(
            "ownership; end to end; end-to-end; accountable; take initiative; self-starter; "
            "proactive; autonomy; autonomous; independently; full cycle; full sales cycle"
        ),
        question="ownership; initiative; end to end; accountable; accountability; owned",
        probes="ownership",
        weight=0.6,
    ),
    _c(
        "delivery",
        "competency",
        posting=("deliver; ship; on time; deadlines; execution; get things done; launch"),
        question="deliver; ship; deadline; launch; on time",
        probes="delivery",
        weight=0.5,
    ),
    _c(
        "planning",
        "competency",
        posting=(
            "planning; plan and; project plans; project management; capacity planning; "
            "plan labour; plan the; long-term plan; first 90 days; first 30 days"
        ),
        question="planning; first 90 days; first 30 days; plan",
        probes="planning",
        weight=0.6,
    ),
    _c(
        "data-driven decisions",
        "competency",
        posting=(
            "data-driven; data driven; data fluency; data-informed; evidence-based; use data; "
            "usage data; decision making; decisions on; insights; recommendations"
        ),
        question="data; decision; evidence; insight; analysis; metric",
        probes="data, decision-making",
        weight=1.0,
    ),
    _c(
        "decision making",
        "competency",
        posting=(
            "decision making; decision-making; judgment; judgement; make decisions; sound calls; "
            "make calls; decide"
        ),
        question="decision; decide; judgment",
        probes="decision-making",
        weight=0.5,
    ),
    _c(
        "customer focus",
        "competency",
        posting=(
            "customer-facing; customer facing; customer experience; customer-centric; "
            "voice of the customer; client relationships; customer relationships; "
            "empathy with customers"
        ),
        question="customer; client",
        probes="customer",
        weight=0.8,
    ),
    _c(
        "teamwork",
        "competency",
        posting=(
            "teamwork; team player; collaborate; collaboration; collaborative; "
            "work well in groups; project teams; work with other"
        ),
        question="teamwork; collaborate; collaboration; teammate; group project; part of a team",
        probes="teamwork",
        weight=0.5,
    ),
    _c(
        "adaptability",
        "competency",
        posting=(
            "adapt; adaptable; adaptability; fast-paced; fast paced; changing priorities; "
            "flexible; flexibility; change management; rotate through"
        ),
        question="adapt; flexible; flexibility; big change",
        probes="adaptability",
        weight=0.5,
    ),
    _c(
        "learning quickly",
        "competency",
        posting=(
            "learn quickly; quick learner; curious; curiosity; growth mindset; eager to learn; "
            "new tools; new area; keep learning; training academy; professional qualifications; "
            "learning a new"
        ),
        question="learn quickly; learn something; get up to speed; curious; new tool",
        probes="learning",
        weight=0.7,
    ),
    _c(
        "working under pressure",
        "competency",
        posting=(
            "under pressure; high pressure; high-pressure; high stakes; stay calm; calm; "
            "resilience; resilient; rejection; hear no; in a hurry; tight deadlines"
        ),
        question="pressure; calm; stress; resilience; resilient; rejection",
        probes="resilience",
        weight=0.8,
    ),
    _c(
        "integrity and ethics",
        "competency",
        posting=(
            "integrity; ethical; ethics; honest; honesty; confidential; confidentiality; fairly"
        ),
        question="ethics; ethical; integrity; honest; fair",
        probes="ethics",
        weight=0.7,
    ),
    _c(
        "continuous improvement",
        "practice",
        posting=(
            "continuous improvement; process improvement; improve processes; streamline; lean; "
            "six sigma; 5s; kaizen; operational efficiency; efficiency"
        ),
        question="process improvement; efficiency; efficient; lean; streamline; initiative",
        probes="innovation, ownership, data",
        weight=1.0,
    ),
    _c(
        "root cause analysis",
        "practice",
        posting=(
            "root cause; root cause analysis; root-cause; investigate; investigation; "
            "incident investigations; diagnose"
        ),
        question="root cause; investigate; investigation; diagnose; diagnosis",
        probes="data, ownership",
        weight=1.0,
    ),
    _c(
        "problem solving",
        "competency",
        posting=(
            "problem solving; problem-solving; solve problems; solve delays; troubleshoot; "
            "analytical"
        ),
        question="problem solving; solve",
        probes="ownership, decision-making",
        weight=0.5,
    ),
    _c(
        "commercial awareness",
        "competency",
        posting=(
            "commercial awareness; commercial; business acumen; revenue; p&l; profit and loss; "
            "margin; roi; cost per; annual recurring revenue; arr; sector; industry"
        ),
        question="commercial; revenue; margin; sector; industry; profit",
        probes="commercial-awareness",
        weight=0.8,
    ),
    _c(
        "budgeting",
        "practice",
        posting=("budget; budgets; budgeting; cost control; financial planning"),
        question="budget; cost",
        probes="commercial-awareness, planning",
        weight=1.0,
    ),
    _c(
        "negotiation",
        "practice",
        posting=(
            "negotiate; negotiating; negotiation; contract terms; procurement; pricing changes; "
            "discount; protect margin; protecting margin"
        ),
        question="negotiate; negotiation; discount; contract; price; pricing",
        probes="negotiation, commercial-awareness",
        weight=1.1,
    ),
    _c(
        "strategy",
        "competency",
        posting=("strategy; strategic; vision; long-term; long term"),
        question="strategy; strategic; vision; long-term",
        probes="strategy",
        weight=0.6,
    ),
    _c(
        "innovation",
        "competency",
        posting=(
            "innovate; innovation; innovative; creative; creativity; new ideas; experiment with"
        ),
        question="innovation; innovate; idea; creative; risk",
        probes="innovation",
        weight=0.6,
    ),
    _c(
        "remote and distributed work",
        "logistics",
        posting=(
            "remote; remote-first; remote-friendly; distributed team; across locations; "
            "time zones; timezones; hybrid; async; asynchronous"
        ),
        question="remote; time zone; distributed; async",
        probes="communication, planning",
        weight=0.8,
    ),
    # -- software engineering ----------------------------------------------------------------------
    _c(
        "system design",
        "practice",
        posting=(
            "system design; architecture; architect; design, build; distributed systems; "
            "scalable; scalability; microservices; backend services; backend systems; "
            "build and operate"
        ),
        question="system design; architecture; system; scale; design review; distributed",
        probes="technical-depth, decision-making",
        weight=1.2,
    ),
    _c(
        "design docs",
        "practice",
        posting=(
            "design docs; design documents; design doc; technical specs; rfcs; rfc; "
            "review the designs"
        ),
        question="design doc; design review; proposal",
        probes="technical-depth, communication, feedback",
        weight=1.3,
    ),
    _c(
        "code review",
        "practice",
        posting=("code review; code reviews; pull requests; review code"),
        question="code review; pull request",
        probes="feedback, technical-depth",
        weight=1.3,
    ),
    _c(
        "testing",
        "practice",
        posting=(
            "automated testing; test automation; unit tests; unit, integration; "
            "integration tests; end-to-end tests; tdd; test-driven; testing strategy; "
            "test coverage; qa"
        ),
        question="testing; what to test; automated test; test",
        probes="technical-depth, delivery",
        weight=1.1,
    ),
    _c(
        "on-call",
        "practice",
        posting=(
            "on-call; on call rotation; pager; incident response; incident management; "
            "incident process; production incidents; postmortems; post-mortems; blameless; "
            "production issues"
        ),
        question="on-call; incident; outage; postmortem; production",
        probes="ownership, technical-depth, resilience",
        weight=1.3,
    ),
    _c(
        "reliability and observability",
        "practice",
        posting=(
            "reliability; observability; monitoring and alerting; alerting; slos; slo; sre; "
            "site reliability; uptime"
        ),
        question="reliability; reliable; monitor; alert; slo; on-call",
        probes="technical-depth, ownership",
        weight=1.2,
    ),
    _c(
        "technical debt",
        "practice",
        posting=("technical debt; tech debt; legacy; refactor; refactoring; modernise; modernize"),
        question="technical debt; legacy; refactor",
        probes="technical-depth, prioritization",
        weight=1.3,
    ),
    _c(
        "security and privacy",
        "practice",
        posting=("security; secure; privacy; pci; pci dss; gdpr; hipaa; compliance; regulated"),
        question="security; privacy; personal data; compliance",
        probes="ethics, technical-depth",
        weight=1.0,
    ),
    _c(
        "scoping with product",
        "practice",
        posting=(
            "scope features; scope; scoping; work closely with product; feature requests; "
            "balance platform work"
        ),
        question="scope; push back; estimate",
        probes="stakeholders, negotiation, delivery",
        weight=1.0,
    ),
    _c(
        "estimation",
        "practice",
        posting=("estimate; estimates; estimation; timelines"),
        question="estimate; timeline; deadline",
        probes="planning, delivery",
        weight=0.9,
    ),
    _c(
        "debugging",
        "practice",
        posting=("debug; debugging; troubleshoot; troubleshooting; reproduce; bug reports; bugs"),
        question="bug; debug; troubleshoot; reproduce",
        probes="technical-depth",
        weight=1.1,
    ),
    _c(
        "CI/CD",
        "tool",
        posting=(
            "ci/cd; continuous integration; continuous delivery; continuous deployment; "
            "deployment pipeline"
        ),
        question="ci; continuous integration; deploy",
        probes="technical-depth",
        weight=1.0,
    ),
    # -- data --------------------------------------------------------------------------------------
    _c(
        "A/B testing",
        "practice",
        posting=(
            "a/b test; a/b tests; a/b testing; ab test; split test; experiment; experiments; "
            "experimentation; experiment readout; controlled experiments"
        ),
        question="a/b; experiment",
        probes="data, decision-making",
        weight=1.4,
    ),
    _c(
        "statistics",
        "practice",
        posting=(
            "statistics; statistical; significance; sample sizes; sample size; regression; "
            "confidence intervals; hypothesis"
        ),
        question=(
            "statistics; statistical; significance; significant; sample; hypothesis; uncertain; "
            "uncertainty"
        ),
        probes="data, technical-depth",
        weight=1.2,
    ),
    _c(
        "dashboards and reporting",
        "practice",
        posting=(
            "dashboard; dashboards; reporting; data visualisation; data visualization; "
            "business intelligence; bi tools; your reports"
        ),
        question="dashboard; bi; visualization",
        probes="data, communication",
        weight=1.2,
    ),
    _c(
        "metrics and KPIs",
        "practice",
        posting=(
            "kpi; kpis; metrics; metric; success metrics; measure success; north star; "
            "key performance indicators; measured on; we measure"
        ),
        question="metric; kpi; measure",
        probes="data, planning",
        weight=1.1,
    ),
    _c(
        "data quality",
        "practice",
        posting=(
            "data quality; data integrity; messy data; clean data; data pipelines; etl; "
            "data engineering; data engineers; pipelines that feed"
        ),
        question="data quality; pipeline; data engineer; trust",
        probes="data, ownership",
        weight=1.2,
    ),
    _c(
        "analysis",
        "practice",
        posting=("analyse; analyze; analysis; analytical; analyst; deep dive; ad hoc analysis"),
        question="analysis; analytics; data; insight",
        probes="data",
        weight=0.8,
    ),
    _c(
        "data warehouse",
        "practice",
        posting=(
            "data warehouse; snowflake warehouse; bigquery warehouse; redshift warehouse; "
            "analytics warehouse; data lake; data modelling; data modeling"
        ),
        question="data warehouse; data model; sql",
        probes="technical-depth, data",
        weight=1.1,
    ),
    _c(
        "machine learning",
        "practice",
        posting=(
            "machine learning; ml models; predictive models; modelling; modeling; "
            "models in production"
        ),
        question="model; machine learning; predict",
        probes="technical-depth, data",
        weight=1.2,
    ),
    _c(
        "forecasting",
        "practice",
        posting=("forecast; forecasting; forecasts; demand planning; volume forecasts"),
        question="forecast; predict; uncertain; uncertainty",
        probes="data, planning",
        weight=1.1,
    ),
    # -- product -----------------------------------------------------------------------------------
    _c(
        "roadmap",
        "practice",
        posting=("roadmap; roadmaps; what we build next; product strategy; product vision"),
        question="roadmap; backlog",
        probes="prioritization, strategy, product-sense",
        weight=1.3,
    ),
    _c(
        "user research",
        "practice",
        posting=(
            "user research; customer research; product discovery; talk to customers; "
            "customer interviews; usability; user needs; customer insight"
        ),
        question="user research; research; discovery; customer insight; usability",
        probes="customer, product-sense",
        weight=1.3,
    ),
    _c(
        "specs",
        "practice",
        posting=(
            "specs; spec; prd; prds; product requirements; requirements documents; user stories"
        ),
        question="spec; prd; requirements doc",
        probes="communication, planning, product-sense",
        weight=1.3,
    ),
    _c(
        "launches",
        "practice",
        posting=("launch; launches; go-to-market; go to market; from idea to launch; release"),
        question="launch; release; ship; go-to-market",
        probes="delivery, product-sense",
        weight=1.1,
    ),
    _c(
        "pricing",
        "practice",
        posting=(
            "pricing; price; prices; promotion; discounts; monetisation; monetization; "
            "packaging; fees"
        ),
        question="pricing; price; discount; monetization; packaging",
        probes="commercial-awareness, data",
        weight=1.1,
    ),
    _c(
        "growth and retention",
        "practice",
        posting=("growth; activation; acquisition; funnel; conversion; engagement; stick with"),
        question="growth; activation; funnel; conversion; retention; engagement",
        probes="data, product-sense",
        weight=1.0,
    ),
    _c(
        "product sense",
        "practice",
        posting=(
            "product sense; product thinking; consumer app; consumer apps; user experience; "
            "how people shop; product decisions"
        ),
        question="product sense; favorite product; product design; improve it",
        probes="product-sense, customer",
        weight=1.0,
    ),
    # -- sales -------------------------------------------------------------------------------------
    _c(
        "quota",
        "practice",
        posting=("quota; quota attainment; sales targets; president's club; exceed a quarterly"),
        question="quota; attainment; target",
        probes="commercial-awareness, delivery",
        weight=1.4,
    ),
    _c(
        "prospecting and pipeline",
        "practice",
        posting=(
            "build your own pipeline; build pipeline; sales pipeline; pipeline generation; "
            "prospecting; outbound; lead generation; generate leads; email sequences; "
            "new business; outreach"
        ),
        question="pipeline; prospect; outbound",
        probes="planning, ownership, commercial-awareness",
        weight=1.4,
    ),
    _c(
        "cold calling",
        "practice",
        posting=("cold calls; cold call; cold calling; phone prospecting; dials"),
        question="cold call; cold calling; phone",
        probes="communication, resilience",
        weight=1.4,
    ),
    _c(
        "discovery and demos",
        "practice",
        posting=(
            "discovery calls; discovery call; demos; demo; product demonstrations; "
            "presentations to prospects"
        ),
        question="discovery; demo; pitch",
        probes="customer, communication",
        weight=1.2,
    ),
    _c(
        "complex deals",
        "practice",
        posting=(
            "buying committees; buying committee; multi-thread; multithread; economic buyer; "
            "champion; enterprise deals; complex sales; long sales cycles; sales cycle; "
            "procurement teams"
        ),
        question="economic buyer; champion; enterprise; multi-thread; sales cycle; procurement",
        probes="stakeholders, influence, strategy",
        weight=1.4,
    ),
    _c(
        "closing",
        "practice",
        posting=(
            "close deals; closing deals; closing new business; signed contract; close business; "
            "full sales cycle"
        ),
        question="closing; deal; signed",
        probes="commercial-awareness, influence",
        weight=1.1,
    ),
    _c(
        "sales forecasting",
        "practice",
        posting=(
            "forecast your quarter; forecast accurately; sales forecast; forecast accuracy; "
            "commit forecast"
        ),
        question="forecast; commit; pipeline",
        probes="data, planning",
        weight=1.3,
    ),
    _c(
        "sales methodology",
        "practice",
        posting=(
            "meddicc; meddic; meddpicc; spin selling; challenger sale; sandler; "
            "sales methodology; sales process; bant"
        ),
        question="methodology; meddicc; qualification; sales process",
        probes="planning, commercial-awareness",
        weight=1.4,
    ),
    _c(
        "objection handling",
        "practice",
        posting=("objections; objection handling; handle objections; overcome objections"),
        question="objection; competitor",
        probes="influence, communication",
        weight=1.3,
    ),
    _c(
        "territory planning",
        "practice",
        posting=("territory; territories; account planning; account tiering"),
        question="territory; account planning; tiering",
        probes="planning, strategy",
        weight=1.2,
    ),
    _c(
        "sales engineering",
        "practice",
        posting=(
            "solutions engineers; sales engineers; technical evaluations; proof of concept; poc"
        ),
        question="sales engineer; solutions engineer; product team",
        probes="teamwork, stakeholders",
        weight=1.3,
    ),
    # -- customer success and support --------------------------------------------------------------
    _c(
        "renewals",
        "practice",
        posting=("renewals; renewal; renew; contract renewals"),
        question="renewal; renew; churn; retention",
        probes="customer, commercial-awareness, negotiation",
        weight=1.4,
    ),
    _c(
        "churn and retention",
        "practice",
        posting=(
            "churn; churn risk; retention; net revenue retention; nrr; at-risk accounts; "
            "at-risk customers; save accounts"
        ),
        question="churn; retention; at-risk",
        probes="customer, data",
        weight=1.4,
    ),
    _c(
        "expansion and upsell",
        "practice",
        posting=(
            "expansion; upsell; upselling; cross-sell; grow accounts; grow the account; "
            "expansion opportunities; land and expand"
        ),
        question="expansion; upsell",
        probes="commercial-awareness, customer",
        weight=1.3,
    ),
    _c(
        "customer onboarding",
        "practice",
        posting=(
            "onboarding; onboard; implementation; kickoff; time to value; adoption; drive adoption"
        ),
        question="onboard; implementation; adoption; kickoff",
        probes="customer, planning, delivery",
        weight=1.3,
    ),
    _c(
        "business reviews",
        "practice",
        posting=(
            "quarterly business reviews; qbr; qbrs; business reviews; ebr; "
            "executive business reviews"
        ),
        question="business review; qbr; ebr",
        probes="customer, communication, data",
        weight=1.4,
    ),
    _c(
        "customer health",
        "practice",
        posting=(
            "customer health; health scores; health score; usage data; nps; net promoter; csat; "
            "customer satisfaction"
        ),
        question="health; nps; csat; satisfaction",
        probes="data, customer",
        weight=1.3,
    ),
    _c(
        "escalations",
        "practice",
        posting=(
            "escalations; escalation; escalate; escalated; frustrated customers; "
            "angry customers; difficult customers; complaints; de-escalate"
        ),
        question="escalation; escalate; angry; frustrated; difficult customer; complaint",
        probes="customer, communication, resilience",
        weight=1.3,
    ),
    _c(
        "product feedback",
        "practice",
        posting=(
            "product feedback; feature requests; voice of the customer; close the loop; "
            "bring feedback"
        ),
        question="feature request; product feedback; voice of the customer; close the loop",
        probes="influence, stakeholders, customer",
        weight=1.3,
    ),
    _c(
        "support tickets",
        "practice",
        posting=(
            "support tickets; tickets; ticket; queue; live chat; live chats; help desk; "
            "helpdesk; first response time; time to resolution; triage"
        ),
        question="ticket; queue; triage; support; urgent",
        probes="customer, prioritization",
        weight=1.3,
    ),
    _c(
        "SLAs",
        "practice",
        posting=("sla; slas; service level"),
        question="sla; urgent; priority",
        probes="customer, prioritization",
        weight=1.2,
    ),
    _c(
        "help content",
        "practice",
        posting=(
            "help center; help centre; help articles; knowledge base; documentation; "
            "self-service; faq; faqs"
        ),
        question="help content; knowledge base; article; documentation; self-service",
        probes="communication, customer",
        weight=1.3,
    ),
    _c(
        "refunds and billing",
        "practice",
        posting=(
            "refund; refunds; billing requests; billing questions; policy exceptions; "
            "ask for an exception"
        ),
        question="refund; billing; policy; exception",
        probes="customer, decision-making, ethics",
        weight=1.3,
    ),
    _c(
        "outages",
        "practice",
        posting=("outage; outages; keep them informed; incident communication; status page"),
        question="outage; bug; incident; many customers",
        probes="communication, customer",
        weight=1.2,
    ),
    _c(
        "account management",
        "practice",
        posting=(
            "account management; book of business; book of; portfolio of accounts; "
            "enterprise accounts; key accounts; manage accounts"
        ),
        question="account management; portfolio; book of business; account",
        probes="customer, commercial-awareness",
        weight=1.1,
    ),
    # -- operations --------------------------------------------------------------------------------
    _c(
        "scheduling and rotas",
        "practice",
        posting=(
            "shift schedules; schedules; scheduling; rotas; rota; labour planning; plan labour; "
            "staffing; workforce planning"
        ),
        question="schedule; scheduling; shift; rota; staffing",
        probes="planning, prioritization",
        weight=1.2,
    ),
    _c(
        "health and safety",
        "practice",
        posting=(
            "health and safety; safety standards; safety; hazard; risk assessments; "
            "incident investigations"
        ),
        question="safety",
        probes="ethics, ownership",
        weight=1.2,
    ),
    _c(
        "vendor management",
        "practice",
        posting=("vendors; vendor; suppliers; supplier; carriers; third parties; subcontractors"),
        question="vendor; supplier",
        probes="stakeholders, negotiation",
        weight=1.1,
    ),
    _c(
        "logistics and supply chain",
        "industry",
        posting=(
            "logistics; supply chain; warehouse; fulfilment; fulfillment; distribution; "
            "inventory; dispatch; depot; depots"
        ),
        question="supply chain; warehouse operations; inventory; logistics company",
        probes="planning, commercial-awareness",
        weight=0.9,
    ),
    _c(
        "peak season",
        "logistics",
        posting=("peak season; peak; seasonal peaks; busy season; high volume"),
        question="pressure; peak; busy; overtime",
        probes="resilience, planning",
        weight=1.1,
    ),
    # -- conditions of the job ---------------------------------------------------------------------
    _c(
        "nights and weekends",
        "logistics",
        posting=(
            "nights and weekends; weekends; night shifts; evenings; overtime; "
            "outside normal hours; unsociable hours; work nights"
        ),
        question="overtime; weekend; outside normal hours; working hours; night",
        probes="resilience, planning",
        weight=1.2,
    ),
    _c(
        "travel",
        "logistics",
        posting=(
            "travel; travelling; traveling; willing to travel; overnight stays; relocate; "
            "relocation"
        ),
        question="travel; relocate; relocation",
        probes="adaptability",
        weight=1.0,
    ),
    _c(
        "work authorisation",
        "logistics",
        posting=(
            "right to work; work authorization; work authorisation; visa; sponsorship; work permit"
        ),
        question="visa; sponsorship; authorization; authorized; right to work",
        probes="planning",
        weight=1.0,
    ),
    # -- early careers and career changes ----------------------------------------------------------
    _c(
        "graduate programme",
        "practice",
        posting=(
            "graduate programme; graduate program; graduate scheme; graduates; internship; "
            "assessment centre; assessment center; rotate through; entry level; entry-level"
        ),
        question="graduate; program; scheme; internship; university; degree",
        probes="motivation, learning",
        weight=1.3,
    ),
    _c(
        "degree",
        "practice",
        posting=("degree; 2:1; studies; university; coursework; dissertation"),
        question="degree; study; studies; university; dissertation; course",
        probes="learning",
        weight=1.0,
    ),
    _c(
        "group exercises",
        "practice",
        posting=(
            "group exercise; assessment centre; assessment center; work well in groups; "
            "group project"
        ),
        question="group exercise; group project; assessment",
        probes="teamwork, communication",
        weight=1.2,
    ),
    _c(
        "time management",
        "competency",
        posting=(
            "time management; balanced study; manage your time; meet deadlines; organised; "
            "organized"
        ),
        question="time management; balance; workload; deadline",
        probes="prioritization, planning",
        weight=0.9,
    ),
    _c(
        "career change",
        "practice",
        posting=(
            "career change; career changers; transferable skills; from other industries; "
            "non-traditional backgrounds; returners"
        ),
        question="career change; transferable; switch",
        probes="adaptability, learning",
        weight=1.2,
    ),
)

# Named technologies and products: a posting naming one wants to hear you have used it.
TOOLS: tuple[str, ...] = (
    "SQL",
    "Python",
    "R",
    "Excel",
    "Google Sheets",
    "Tableau",
    "Looker",
    "Power BI",
    "dbt",
    "Snowflake",
    "BigQuery",
    "Redshift",
    "Databricks",
    "Spark",
    "Airflow",
    "Kafka",
    "AWS",
    "GCP",
    "Google Cloud",
    "Azure",
    "Kubernetes",
    "Docker",
    "Terraform",
    "Java",
    "Go",
    "Golang",
    "TypeScript",
    "JavaScript",
    "React",
    "Node.js",
    "PostgreSQL",
    "Postgres",
    "MySQL",
    "Redis",
    "GraphQL",
    "APIs",
    "HTML",
    "Linux",
    "Git",
    "Kotlin",
    "Swift",
    "C++",
    "C#",
    ".NET",
    "Ruby",
    "Rails",
    "Django",
    "Rust",
    "Scala",
    "pandas",
    "TensorFlow",
    "PyTorch",
    "Salesforce",
    "HubSpot",
    "Gainsight",
    "Zendesk",
    "Intercom",
    "Freshdesk",
    "Jira",
    "Confluence",
    "Figma",
    "Amplitude",
    "Mixpanel",
    "Segment",
    "SAP",
    "NetSuite",
    "Workday",
    "Outreach",
    "Salesloft",
    "Gong",
    "LinkedIn Sales Navigator",
    "Microsoft Office",
    "PowerPoint",
    "Lean Six Sigma",
    "PCI DSS",
    "SaaS",
    "B2B",
    "B2B SaaS",
    "WMS",
    "warehouse management system",
)

# Tool names that are ordinary words in lower case: only their capitalised form counts
# ("Go" the language, not "go" the verb).
CASE_SENSITIVE_TOOLS = frozenset(
    {"Go", "R", "Outreach", "Segment", "Swift", "Spark", "Rust", ".NET", "Gong", "Git"}
)

# A product's name is a name: "Looker" must not meet "look", nor "Snowflake" "snowflakes".
keep_whole(token for tool in TOOLS for token in tokens(tool) if len(token) > 3)
