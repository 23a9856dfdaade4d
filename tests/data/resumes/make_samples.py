"""Write the binary sample resumes of this folder (the .txt and .md ones are written by hand).

    python tests/data/resumes/make_samples.py     # needs fpdf2 and python-docx

The outputs are committed, so the tests need neither library to write them; rerun
this after changing the content below. Every person, company and number is made up
(some employers are real company names, used only as employer names).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _pdf(name: str, build) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.set_creation_date(__import__("datetime").datetime(2026, 1, 1))  # same bytes every run
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    if FONT.exists():
        pdf.add_font("body", "", str(FONT))
        pdf.add_font("body", "B", str(FONT_BOLD))
    pdf.add_page()
    build(pdf, "body" if FONT.exists() else "helvetica")
    pdf.output(str(HERE / name))


def marcus_johnson(pdf, font: str) -> None:
    """Two columns: the main column (experience) first, then a narrow sidebar."""
    pdf.set_font(font, "B", 18)
    pdf.cell(0, 9, "MARCUS JOHNSON", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 11)
    pdf.cell(0, 6, "Backend Software Engineer  |  Seattle, WA  |  marcus.j@example.com",
             new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 4
    main_x, main_w, side_x, side_w = 18, 118, 142, 56

    def heading(x: float, w: float, text: str) -> None:
        pdf.set_x(x)
        pdf.set_font(font, "B", 12)
        pdf.cell(w, 8, text, new_x="LEFT", new_y="NEXT")
        pdf.set_font(font, "", 10)

    def para(x: float, w: float, text: str, bold: bool = False) -> None:
        pdf.set_x(x)
        pdf.set_font(font, "B" if bold else "", 10)
        pdf.multi_cell(w, 5, text, new_x="LEFT", new_y="NEXT")

    pdf.set_y(top)
    heading(main_x, main_w, "EXPERIENCE")
    para(main_x, main_w, "Globex Corporation, Seattle, WA", bold=True)
    para(main_x, main_w, "Software Engineer II, 2020 - 2024")
    for bullet in (
        "Reduced p99 API latency from 800 ms to 120 ms by adding a Redis cache in front of the "
        "pricing service",
        "Led a team of 4 to ship the new checkout service in Go, handling 2,000 requests per second",
        "Increased test coverage from 45% to 85% and cut production incidents by half",
    ):
        para(main_x, main_w, "\u2022 " + bullet)
    pdf.ln(2)
    para(main_x, main_w, "Initech, Austin, TX", bold=True)
    para(main_x, main_w, "Software Engineer, 2017 - 2020")
    for bullet in (
        "Migrated a monolithic Django app to 6 microservices without a single failed release",
        "Built an internal reporting tool used by 200 employees",
        "Took part in the on-call rotation",
    ):
        para(main_x, main_w, "\u2022 " + bullet)
    pdf.ln(2)
    heading(main_x, main_w, "EDUCATION")
    para(main_x, main_w, "B.Sc. Computer Engineering, Texas A&M University, 2017")

    pdf.set_y(top)
    heading(side_x, side_w, "SKILLS")
    para(side_x, side_w, "Go, Python, Django, PostgreSQL, Redis, gRPC, Docker, Kubernetes, "
                         "problem solving, communication")
    pdf.ln(2)
    heading(side_x, side_w, "CERTIFICATIONS")
    para(side_x, side_w, "AWS Certified Developer \u2013 Associate")
    para(side_x, side_w, "Oracle Certified Professional, Java SE 11 Developer")


def emma_novak(pdf, font: str) -> None:
    """One column, capitalised headings with rules, "Company | Location | Dates" then the role."""
    pdf.set_font(font, "B", 16)
    pdf.cell(0, 8, "Emma Novak", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 10)
    pdf.cell(0, 5, "Site Reliability Engineer \u00b7 Berlin, Germany \u00b7 emma.novak@example.eu",
             new_x="LMARGIN", new_y="NEXT")

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font(font, "B", 11)
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y()
        pdf.line(18, y, 198, y)
        pdf.ln(1)
        pdf.set_font(font, "", 10)

    def line(text: str, bold: bool = False) -> None:
        pdf.set_font(font, "B" if bold else "", 10)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    heading("PROFILE")
    line("SRE with ten years in production operations. AWS Certified Solutions Architect "
         "\u2013 Professional. I enjoy mentoring and learning from incidents.")
    heading("EXPERIENCE")
    line("Zalando SE | Berlin, Germany | 03/2020 \u2013 present", bold=True)
    line("Senior Site Reliability Engineer")
    for bullet in (
        "Brought the monthly error-budget burn from 40% down to 5% by introducing canary releases",
        "Lowered on-call pages by 70% after rewriting 300 noisy Prometheus alerts",
        "Saved \u20ac120k a year by consolidating 3 Kafka clusters into one",
    ):
        line("- " + bullet)
    line("SoundCloud | Berlin, Germany | 01/2018 \u2013 02/2020", bold=True)
    line("Site Reliability Engineer")
    for bullet in (
        "Automated database failover for MySQL, cutting recovery time from 30 minutes to 2 minutes",
        "Ran game days with 6 product teams",
    ):
        line("- " + bullet)
    line("Nokia | Espoo, Finland | 2015 \u2013 2017", bold=True)
    line("Software Engineer")
    line("- Shipped a Python test harness that ran 4,000 radio tests each night")
    heading("CERTIFICATIONS")
    line("Google Cloud Professional Cloud Architect, 2021")
    line("Certified Kubernetes Security Specialist (CKS) \u2013 issued 2023")
    heading("SKILLS")
    line("Kubernetes \u00b7 Terraform \u00b7 Prometheus \u00b7 Kafka \u00b7 MySQL \u00b7 Go \u00b7 Python \u00b7 AWS \u00b7 GCP")
    heading("EDUCATION")
    line("M.Sc. Computer Science, Charles University, Prague, Czech Republic, 2015")


def sofia_garcia() -> None:
    """python-docx: a contact table, Word heading styles, "List Bullet" paragraphs."""
    import docx

    document = docx.Document()
    document.core_properties.created = __import__("datetime").datetime(2026, 1, 1)
    document.add_heading("Sofia Garcia", level=0)
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "Machine Learning Engineer"
    table.cell(0, 1).text = "London, United Kingdom"
    table.cell(0, 2).text = "sofia.garcia@example.co.uk"
    document.add_heading("Professional Summary", level=1)
    document.add_paragraph("ML engineer with 6 years of experience taking models from notebook to "
                           "production. Strong communication and feedback culture advocate.")
    document.add_heading("Work Experience", level=1)
    entries = [
        ("Machine Learning Engineer at Umbrella Analytics (London, UK)", "Sep 2021 \u2013 Present", [
            "Improved fraud model recall from 71% to 89% while keeping precision above 95%",
            "Cut model training time by 60% with mixed-precision training in PyTorch",
            "Shipped a real-time recommendation service that serves 3M users a day",
        ]),
        ("Data Scientist at Hooli (Palo Alto, California)", "Jun 2019 \u2013 Aug 2021", [
            "Designed an A/B testing framework adopted by 12 product teams",
            "Reduced churn by 8% with a customer-health model built in scikit-learn",
            "Presented results to leadership every quarter",
        ]),
    ]
    for title, dates, bullets in entries:
        paragraph = document.add_paragraph()
        paragraph.add_run(title).bold = True
        paragraph.add_run("\t" + dates)
        for bullet in bullets:
            document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Licenses & Certifications", level=1)
    document.add_paragraph("TensorFlow Developer Certificate (2020)", style="List Bullet")
    document.add_paragraph("Microsoft Certified: Azure AI Engineer Associate", style="List Bullet")
    document.add_heading("Skills", level=1)
    document.add_paragraph("Python, PyTorch, scikit-learn, pandas, SQL, Spark, Docker, Kubernetes, "
                           "MLflow, feedback, learning")
    document.add_heading("Education", level=1)
    document.add_paragraph("MSc Machine Learning, University College London, 2019")
    document.save(str(HERE / "sofia_garcia.docx"))


def main() -> None:
    _pdf("marcus_johnson.pdf", marcus_johnson)
    _pdf("emma_novak.pdf", emma_novak)
    sofia_garcia()
    for path in sorted(HERE.glob("*.*")):
        if path.suffix in {".pdf", ".docx"}:
            print(f"wrote {path.name} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
