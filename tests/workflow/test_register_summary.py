"""A refused "Nytt uppdrag" names and links every error in its summary (issue 29, item 5):
"Rätta fälten som är markerade:" followed by nothing told the registrar nothing on a page of
6,000 px."""

import re

from assignments.models import Assignment
from tests.workflow.test_register import NEW, page_data, registrar  # noqa: F401 (a fixture)


def test_the_refused_forms_summary_lists_and_links_each_error(registrar, client):  # noqa: F811
    data = page_data(title="", **{"milestones-1-start": "2027-12-01"})  # due before start
    before = Assignment.objects.count()
    response = client.post(NEW, data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</ul>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    targets = [target for target, _text in links]
    assert "id_title" in targets
    assert any(t.startswith("id_milestones-1-") for t in targets), links
    for target, _text in links:
        assert f'id="{target}"' in html  # each link leads to its field
    assert any(text.startswith("Tidplan, rad 2, ") for _target, text in links), links
    assert Assignment.objects.count() == before


def test_the_page_holds_an_empty_row_for_the_script_to_add(registrar, client):  # noqa: F811
    html = client.get(NEW).content.decode()
    template = html.split('<template id="empty-row-milestones">')[1].split("</template>")[0]
    assert 'name="milestones-__prefix__-title"' in template
    assert "Rad __number__" in template
