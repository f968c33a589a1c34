from consultation.web import page_of


def test_the_page_asked_for_stays_between_the_first_and_the_last():
    assert page_of(0, 50, None) == (1, 1)  # an empty list still has its one page
    assert page_of(100, 50, 2) == (2, 2)
    assert page_of(101, 50, 2) == (2, 3)
    assert page_of(101, 50, 9) == (3, 3)
    assert page_of(101, 50, 0) == page_of(101, 50, -4) == page_of(101, 50, None) == (1, 3)
