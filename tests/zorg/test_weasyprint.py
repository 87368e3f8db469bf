"""WeasyPrint (for the reports issue) finds its system libraries here and
renders without reaching outside the machine."""


def test_weasyprint_renders_a_pdf_without_fetching_anything():
    from weasyprint import HTML

    opgehaald = []

    def geen_netwerk(url, *args, **kwargs):
        opgehaald.append(url)
        raise ValueError("no fetching")

    pdf = HTML(
        string="<h1>Zorg</h1><p>Leerlingenbegeleiding</p>", url_fetcher=geen_netwerk
    ).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert opgehaald == []
