"""The GIFT reader, checked against the examples in Moodle's GIFT documentation and the fixtures
of Moodle's own importer tests (question/format/gift/tests), plus the mistakes teachers make."""

from decimal import Decimal
from itertools import product

from django.utils import translation

from diagnostics.interchange.gift_parser import parse_gift
from diagnostics.interchange.gift_types import BLANK, Choice, Kind, MatchPair, TextFormat


def only_question(source):
    result = parse_gift(source)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def credits(question):
    return [(choice.text, choice.credit) for choice in question.choices]


def error_lines_and_codes(result):
    return [(error.line, error.code) for error in result.errors]


# --- The quick examples of docs.moodle.org/en/GIFT_format ----------------------------------------

DOCUMENTATION_EXAMPLES = """\
// true/false
::Q1:: 1+1=2 {T}

// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }

// fill-in-the-blank
::Q3:: Two plus {=two =2} equals four.

// matching
::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }

// math range question
::Q5:: What is a number from 1 to 5? {#3:2}

// math range specified with interval end points
::Q6:: What is a number from 1 to 5? {#1..5}
// translated on import to the same as Q5, but unavailable from Moodle question interface

// multiple numeric answers with partial credit and feedback
::Q7:: When was Ulysses S. Grant born? {#
         =1822:0      # Correct! Full credit.
         =%50%1822:2  # He was born in 1822. Half credit for being close.
}

// essay
::Q8:: How are you? {}
"""


def test_documentation_examples_read_as_one_question_each_with_its_kind_and_line():
    result = parse_gift(DOCUMENTATION_EXAMPLES)

    assert result.errors == []
    assert [(q.line, q.title, q.kind) for q in result.questions] == [
        (2, "Q1", Kind.TRUE_FALSE),
        (5, "Q2", Kind.SINGLE),
        (9, "Q3", Kind.SHORT_ANSWER),
        (12, "Q4", Kind.MATCHING),
        (15, "Q5", Kind.NUMERICAL),
        (18, "Q6", Kind.NUMERICAL),
        (22, "Q7", Kind.NUMERICAL),
        (28, "Q8", Kind.FREE_TEXT),
    ]


def test_documentation_range_reads_the_same_as_value_with_tolerance():
    q5, q6 = parse_gift(DOCUMENTATION_EXAMPLES).questions[4:6]

    assert q5.numeric_answers == q6.numeric_answers
    (answer,) = q6.numeric_answers
    assert (answer.value, answer.tolerance) == (Decimal(3), Decimal(2))
    assert (answer.minimum, answer.maximum) == (Decimal(1), Decimal(5))


def test_question_text_may_contain_an_equals_sign_outside_the_answers():
    q1 = parse_gift(DOCUMENTATION_EXAMPLES).questions[0]

    assert q1.text == "1+1=2"
    assert q1.correct_answer is True


# --- Single and multiple choice -----------------------------------------------------------------


def test_single_choice_marks_the_equals_answer_fully_correct():
    question = only_question("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")

    assert question.kind == Kind.SINGLE
    assert question.text == "Who's buried in Grant's tomb?"
    assert question.missing_word is False
    assert credits(question) == [
        ("Grant", Decimal(0)),
        ("Jefferson", Decimal(0)),
        ("no one", Decimal(1)),
    ]


def test_choices_may_be_written_one_per_line_and_indented():
    question = only_question(
        "Japanese characters originally came from what country? {\n"
        "    ~India\n"
        "    =China\n"
        "    ~Korea\n"
        "    ~Egypt}"
    )

    assert [choice.text for choice in question.choices] == ["India", "China", "Korea", "Egypt"]
    assert question.choices[1].credit == 1


def test_choice_feedback_and_per_part_formats_follow_moodle_fixture():
    question = only_question(
        "// multiple choice with specified feedback for right and wrong answers\n"
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{\n"
        "    =yellow # right; good!\n"
        "    ~red # [html]wrong, it's yellow\n"
        "    ~[plain]blue # wrong, it's yellow\n"
        "}"
    )

    assert question.title == "Q2"
    assert question.choices == [
        Choice("yellow", Decimal(1), "right; good!"),
        Choice("red", Decimal(0), "wrong, it's yellow", feedback_format=TextFormat.HTML),
        Choice("blue", Decimal(0), "wrong, it's yellow", text_format=TextFormat.PLAIN),
    ]


def test_partial_credits_in_a_single_choice_question():
    question = only_question(
        "::Jesus' hometown::Jesus Christ was from {\n"
        "    ~Jerusalem#This was an important city, but the wrong answer.\n"
        "    ~%25%Bethlehem#He was born here, but not raised here.\n"
        "    ~%50%Galilee#You need to be more specific.\n"
        "    =Nazareth#Yes! That's right!}."
    )

    assert question.kind == Kind.SINGLE
    assert question.text == f"Jesus Christ was from {BLANK}."
    assert credits(question) == [
        ("Jerusalem", Decimal(0)),
        ("Bethlehem", Decimal("0.25")),
        ("Galilee", Decimal("0.5")),
        ("Nazareth", Decimal(1)),
    ]
    assert question.choices[1].feedback == "He was born here, but not raised here."


def test_several_right_answers_with_negative_credits_make_a_multiple_choice_question():
    question = only_question(
        "::colours:: What's between orange and green in the spectrum?\n"
        "{\n"
        "    ~%50%yellow # right; good!\n"
        "    ~%-100%red # [html]wrong\n"
        "    ~%50%off-beige # right; good!\n"
        "    ~%-100%[plain]blue # wrong\n"
        "}"
    )

    assert question.kind == Kind.MULTIPLE
    assert credits(question) == [
        ("yellow", Decimal("0.5")),
        ("red", Decimal(-1)),
        ("off-beige", Decimal("0.5")),
        ("blue", Decimal(-1)),
    ]
    assert question.choices[1].feedback_format == TextFormat.HTML
    assert question.choices[3].text_format == TextFormat.PLAIN
    assert question.choices[3].feedback_format == TextFormat.MOODLE


def test_one_full_credit_tilde_answer_with_penalties_is_still_multiple_choice():
    question = only_question(
        "::colours:: What's between orange and green in the spectrum?\n"
        "{\n    ~%100%yellow # right; good!\n    ~%-50%red # wrong\n    ~%-50%blue # wrong\n}"
    )

    assert question.kind == Kind.MULTIPLE
    assert [choice.credit for choice in question.choices] == [1, Decimal("-0.5"), Decimal("-0.5")]


def test_three_thirds_count_as_one_hundred_percent_like_moodle_rounding():
    question = only_question("Pick the primes {~%33.33333%2 ~%33.33333%3 ~%33.33333%5 ~%-100%4}")

    assert question.kind == Kind.MULTIPLE
    assert question.choices[0].credit == Decimal("0.3333333")


# --- Missing word -------------------------------------------------------------------------------


def test_missing_word_keeps_the_blank_where_the_answers_were():
    question = only_question("Grant is {~buried =entombed ~living} in Grant's tomb.")

    assert question.kind == Kind.SINGLE
    assert question.missing_word is True
    assert question.text == f"Grant is {BLANK} in Grant's tomb."
    assert question.choices[1] == Choice("entombed", Decimal(1))


def test_missing_word_short_answer_over_several_lines():
    question = only_question(
        "::Thanksgiving Date::The American holiday of Thanksgiving is\n"
        "celebrated on the {=fourth =4th} Thursday of November."
    )

    assert question.kind == Kind.SHORT_ANSWER
    assert question.text == (
        f"The American holiday of Thanksgiving is\ncelebrated on the {BLANK} Thursday of November."
    )
    assert credits(question) == [("fourth", Decimal(1)), ("4th", Decimal(1))]


def test_answers_at_the_start_of_the_text_leave_a_blank_at_the_start():
    question = only_question("{=Astana ~Almaty} is the capital of Kazakhstan.")

    assert question.text == f"{BLANK} is the capital of Kazakhstan."
    assert question.missing_word is True


# --- Short answer -------------------------------------------------------------------------------


def test_short_answer_keeps_accepted_answers_with_credit_and_feedback():
    question = only_question(
        "::Shortanswer::Which is the best animal?{\n"
        "    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n"
        "    =%0%*#Completely wrong\n"
        "    ####[html]Here is some general feedback!\n"
        "}"
    )

    assert question.kind == Kind.SHORT_ANSWER
    assert question.choices == [
        Choice("Frog", Decimal(1), "Good!"),
        Choice("Cat", Decimal("0.5"), "What is it with Moodlers and cats?"),
        Choice("*", Decimal(0), "Completely wrong"),
    ]
    assert question.general_feedback == "Here is some general feedback!"
    assert question.general_feedback_format == TextFormat.HTML


def test_short_answer_with_partial_credit_for_a_misspelling():
    question = only_question(
        "::Jesus' hometown:: Jesus Christ was from {\n"
        "    =Nazareth#Yes! That's right!\n"
        "    =%75%Nazereth#Right, but misspelled.\n"
        "    =%25%Bethlehem#He was born here, but not raised here.}"
    )

    assert question.title == "Jesus' hometown"
    assert credits(question) == [
        ("Nazareth", Decimal(1)),
        ("Nazereth", Decimal("0.75")),
        ("Bethlehem", Decimal("0.25")),
    ]


def test_a_single_accepted_answer_needs_no_equals_sign():
    question = only_question("Two plus two equals {four}.")

    assert question.kind == Kind.SHORT_ANSWER
    assert credits(question) == [("four", Decimal(1))]


# --- True/false ---------------------------------------------------------------------------------


def test_false_statement_keeps_both_feedbacks_on_the_answer_that_shows_them():
    question = only_question(
        "::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.\n"
        "####This is, of course, a Hitchiker's Guide to the Galaxy reference.}"
    )

    assert question.kind == Kind.TRUE_FALSE
    assert question.correct_answer is False
    assert question.choices == [
        Choice("True", Decimal(0), "42 is the Ultimate Answer."),
        Choice("False", Decimal(1), "You gave the right answer."),
    ]
    assert question.general_feedback == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )


def test_true_statement_shows_the_wrong_feedback_to_false():
    question = only_question("The sun rises in the east.{TRUE#Look again.#Well done.}")

    assert question.correct_answer is True
    assert question.choices == [
        Choice("True", Decimal(1), "Well done."),
        Choice("False", Decimal(0), "Look again."),
    ]


def test_every_true_false_spelling_moodle_accepts():
    source = "A {T}\n\nB {TRUE}\n\nC {F}\n\nD {FALSE#No one is buried in Grant's tomb.}"
    questions = parse_gift(source).questions

    assert [q.correct_answer for q in questions] == [True, True, False, False]
    assert questions[3].choices[0].feedback == "No one is buried in Grant's tomb."


# --- Numerical ----------------------------------------------------------------------------------


def test_exact_number_has_zero_tolerance():
    question = only_question("When was Ulysses S. Grant born? {#1822}")

    (answer,) = question.numeric_answers
    assert (answer.value, answer.tolerance, answer.credit) == (Decimal(1822), 0, 1)


def test_tolerance_and_missing_word_before_closing_punctuation():
    question = only_question("What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.")

    assert question.text == f"What is the value of pi (to 3 decimal places)? {BLANK}."
    (answer,) = question.numeric_answers
    assert (answer.value, answer.tolerance) == (Decimal("3.1415"), Decimal("0.0005"))


def test_range_becomes_midpoint_and_half_width_like_moodle():
    question = only_question("What is the value of pi (to 3 decimal places)? {#3.141..3.142}")

    (answer,) = question.numeric_answers
    assert (answer.value, answer.tolerance) == (Decimal("3.1415"), Decimal("0.0005"))
    assert (answer.minimum, answer.maximum) == (Decimal("3.141"), Decimal("3.142"))


def test_negative_numbers_in_a_range():
    question = only_question("Pick a temperature below freezing {#-10..-1}")

    (answer,) = question.numeric_answers
    assert (answer.minimum, answer.maximum) == (Decimal(-10), Decimal(-1))


def test_several_numeric_answers_with_partial_credit_and_multi_line_feedback():
    question = only_question(
        "//this comment will be ignored by the filter\n"
        "::Numerical example::\n"
        "When was Ulysses S. Grant born? {#\n"
        "     =1822:0      #Correct! 100% credit\n"
        "     =%50%1822:2  #He was born in 1822.\n"
        "                  You get 50% credit for being close.\n"
        "}"
    )

    assert question.line == 2
    first, second = question.numeric_answers
    assert (first.value, first.tolerance, first.credit) == (Decimal(1822), 0, 1)
    assert first.feedback == "Correct! 100% credit"
    assert (second.value, second.tolerance, second.credit) == (
        Decimal(1822),
        Decimal(2),
        Decimal("0.5"),
    )
    assert second.feedback.startswith("He was born in 1822.\n")
    assert second.feedback.endswith("You get 50% credit for being close.")


def test_year_with_partial_credit_for_the_next_year():
    question = only_question(
        "In which year was Kazakhstan's independence declared? {# =1991:0 =%50%1992:1}"
    )

    assert [(a.value, a.tolerance, a.credit) for a in question.numeric_answers] == [
        (Decimal(1991), 0, 1),
        (Decimal(1992), Decimal(1), Decimal("0.5")),
    ]


def test_feedback_for_any_other_number_is_a_catch_all_answer():
    question = only_question("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")

    exact, other = question.numeric_answers
    assert (exact.value, exact.tolerance) == (Decimal(3), Decimal(2))
    assert other.value is None
    assert (other.minimum, other.maximum) == (None, None)
    assert (other.credit, other.feedback) == (0, "Completely wrong")


# --- Matching -----------------------------------------------------------------------------------


def test_matching_pairs_keep_their_formats_and_the_extra_distractor():
    question = only_question(
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        "    =[html]An activity supporting asynchronous discussions. -> Forum\n"
        "    =[moodle]A teacher asks a question and specifies a choice. -> Choice\n"
        "    =[plain]A bank of record entries which participants can add to. -> Database\n"
        "    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki\n"
        "    = -> Chat\n"
        "}"
    )

    assert question.kind == Kind.MATCHING
    assert question.text == "Match the <b>activity</b> to the description."
    assert question.text_format == TextFormat.HTML
    assert question.pairs == [
        MatchPair("An activity supporting asynchronous discussions.", "Forum", TextFormat.HTML),
        MatchPair("A teacher asks a question and specifies a choice.", "Choice", TextFormat.MOODLE),
        MatchPair(
            "A bank of record entries which participants can add to.", "Database", TextFormat.PLAIN
        ),
        MatchPair(
            "A collection of web pages that anyone can add to or edit.",
            "Wiki",
            TextFormat.MARKDOWN,
        ),
        MatchPair("", "Chat", TextFormat.HTML),
    ]


def test_matching_without_spaces_around_the_arrow():
    question = only_question(
        "Match the following countries with their corresponding\n"
        "capitals.{=Canada->Ottawa =Italy->Rome =Japan->Tokyo}"
    )

    assert [(pair.prompt, pair.match) for pair in question.pairs] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
    ]


# --- Essay and description ----------------------------------------------------------------------


def test_empty_braces_make_a_free_text_question():
    question = only_question("// essay\n::Q8:: How are you? {}")

    assert (question.kind, question.title, question.text) == (Kind.FREE_TEXT, "Q8", "How are you?")
    assert question.choices == []


def test_free_text_question_may_carry_general_feedback():
    question = only_question("Describe your last lesson with a projector.{####Mention the set-up.}")

    assert question.kind == Kind.FREE_TEXT
    assert question.general_feedback == "Mention the set-up."


def test_text_without_braces_is_a_description():
    question = only_question("::Intro::The next questions are about spreadsheets.")

    assert question.kind == Kind.DESCRIPTION
    assert (question.title, question.text) == (
        "Intro",
        "The next questions are about spreadsheets.",
    )


# --- Comments, titles and categories ------------------------------------------------------------


def test_comments_inside_a_question_do_not_split_it_and_comment_only_blocks_are_skipped():
    source = (
        "// a file header\n"
        "// still the header\n"
        "\n"
        "What's 2 plus 2? {\n"
        "   // a note for the author\n"
        "   #4\n"
        "}\n"
    )
    question = only_question(source)

    assert question.line == 4
    assert question.numeric_answers[0].value == 4


def test_double_slash_inside_a_line_is_text_not_a_comment():
    question = only_question(
        "Open https://bilimland.kz in which program? {=a browser ~a spreadsheet}"
    )

    assert question.text == "Open https://bilimland.kz in which program?"


def test_titles_are_whitespace_collapsed_and_optional():
    first, second = parse_gift(
        "::  Kanji   Origins ::Japanese characters? {=China}\n\nNo title {T}"
    ).questions

    assert first.title == "Kanji Origins"
    assert second.title == ""


def test_category_applies_to_the_questions_after_it():
    source = (
        "// question: 0  name: switch category to $course$/Default for New Features\n"
        "$CATEGORY: $course$/Default for New Features\n"
        "\n"
        "// question: 46  name: Moodle user\n"
        "::Moodle user::[html]Anyone who uses Moodle is a ...{\n"
        "\t=%100%Moodler#\n"
        "}\n"
        "\n"
        "$CATEGORY: $course$/Other\n"
        "\n"
        '::Moodle acronym::[html]Moodle is an acronym for <span style\\="font-style\\: italic;">'
        "Modular Object-Oriented Dynamic Learning Environment</span>.{TRUE}\n"
    )
    user, acronym = parse_gift(source).questions

    assert (user.category, user.kind, user.line) == (
        "$course$/Default for New Features",
        Kind.SHORT_ANSWER,
        5,
    )
    assert credits(user) == [("Moodler", Decimal(1))]
    assert acronym.category == "$course$/Other"
    assert acronym.text == (
        'Moodle is an acronym for <span style="font-style: italic;">'
        "Modular Object-Oriented Dynamic Learning Environment</span>."
    )


def test_questions_before_any_category_have_none():
    assert only_question("Q {T}").category is None


def test_category_line_directly_followed_by_a_question_still_sets_the_category():
    result = parse_gift("$CATEGORY: ICT/Spreadsheets\nWhich sign starts a formula? {=\\= ~+}")

    (question,) = result.questions
    assert question.category == "ICT/Spreadsheets"
    assert question.line == 2
    assert credits(question) == [("=", Decimal(1)), ("+", Decimal(0))]


# --- Escapes ------------------------------------------------------------------------------------


def test_escaped_equals_signs_are_answer_text():
    question = only_question(
        "Which answer equals 5? {\n     ~ \\= 2 + 2\n     = \\= 2 + 3\n     ~ \\= 2 + 4  }"
    )

    assert credits(question) == [("= 2 + 2", 0), ("= 2 + 3", 1), ("= 2 + 4", 0)]


def test_every_control_character_can_be_escaped():
    question = only_question(
        "::GIFT Control Characters::\n"
        "Which of the following is NOT a control character for the GIFT import format? {\n"
        "   ~ \\~     # \\~ is a control character.\n"
        "   ~ \\=     # \\= is a control character.\n"
        "   ~ \\#     # \\# is a control character.\n"
        "   ~ \\{     # \\{ is a control character.\n"
        "   ~ \\}     # \\} is a control character.\n"
        "   = \\\\     # Correct! \\\\ (backslash) is not a control character. BUT,\n"
        "              it is used to escape the control characters.\n"
        "}"
    )

    assert credits(question) == [
        ("~", 0),
        ("=", 0),
        ("#", 0),
        ("{", 0),
        ("}", 0),
        ("\\", 1),
    ]
    assert question.choices[0].feedback == "~ is a control character."
    assert question.choices[5].feedback.startswith("Correct! \\ (backslash)")


def test_double_backslash_reads_as_one_backslash():
    question = only_question("::double backslash:: A \\\\ B \\\\\\\\ C{}")

    assert question.text == "A \\ B \\\\ C"


def test_escaped_braces_colons_and_newlines_in_text():
    question = only_question(
        "::Q001::[html]<p>What would running the test method print?</p>\n"
        "<pre>\n"
        "    public void test() \\{\n"
        "        method1();\n"
        "    \\}\n"
        "</pre>\n"
        "{}"
    )

    assert question.text_format == TextFormat.HTML
    assert question.text == (
        "<p>What would running the test method print?</p>\n"
        "<pre>\n"
        "    public void test() {\n"
        "        method1();\n"
        "    }\n"
        "</pre>"
    )
    assert only_question("Time 10\\:30\\nor later? {T}").text == "Time 10:30\nor later?"


def test_escaped_colons_do_not_end_a_title():
    question = only_question("::Ratio 1\\:2::Simplify 2\\:4 {=1\\:2}")

    assert question.title == "Ratio 1:2"
    assert question.text == "Simplify 2:4"
    assert credits(question) == [("1:2", 1)]


# --- Text formats -------------------------------------------------------------------------------


def test_markdown_question_and_inherited_feedback_format():
    question = only_question(
        "[markdown]Who's buried in **Grant's tomb**?{\n"
        "=no one#excellent answer!\n"
        "=nobody#excellent answer!\n"
        "####See the *history* books.}"
    )

    assert question.text == "Who's buried in **Grant's tomb**?"
    assert question.text_format == TextFormat.MARKDOWN
    assert question.general_feedback_format == TextFormat.MARKDOWN
    assert {choice.feedback_format for choice in question.choices} == {TextFormat.MARKDOWN}
    assert {choice.text_format for choice in question.choices} == {TextFormat.MARKDOWN}


def test_plain_and_moodle_formats_and_an_unknown_bracket_kept_as_text():
    plain, moodle, unknown = parse_gift(
        "[plain]1 < 2 {T}\n\n[moodle]Plain Moodle text {T}\n\n[note] Not a format {T}"
    ).questions

    assert (plain.text, plain.text_format) == ("1 < 2", TextFormat.PLAIN)
    assert (moodle.text, moodle.text_format) == ("Plain Moodle text", TextFormat.MOODLE)
    assert (unknown.text, unknown.text_format) == ("[note] Not a format", TextFormat.MOODLE)


# --- Files as they arrive: line endings, BOM, languages -----------------------------------------


def test_windows_and_old_mac_line_endings_keep_line_numbers():
    for newline in ("\r\n", "\r"):
        source = newline.join(["// header", "", "Q1 {T}", "", "", "Q2 {", "=a", "=b", "}"])
        result = parse_gift(source)

        assert result.errors == []
        assert [question.line for question in result.questions] == [3, 6]
        assert credits(result.questions[1]) == [("a", 1), ("b", 1)]


def test_byte_order_mark_is_ignored_in_text_and_in_bytes():
    source = "\ufeff::Q1::Is this read? {T}"

    assert only_question(source).title == "Q1"
    assert only_question(source.encode("utf-8")).title == "Q1"


def test_bytes_that_are_not_utf8_are_reported_at_their_line():
    source = "Q1 {T}\n\nQ2 \u0430\u0439 {T}".encode("cp1251")

    result = parse_gift(source)

    assert result.questions == []
    assert error_lines_and_codes(result) == [(3, "not_utf8")]


KAZAKH_KYRGYZ_RUSSIAN = """\
$CATEGORY: АКТ құзыреттілігі/Кестелер

::Әріптер::Қазақ әліпбиінде ә, ғ, қ, ң, ө, ұ, ү, һ, і әріптері бар.{T}

::Кесте::Электрондық кестеде формула қай белгіден басталады? {
    =\\=#Дұрыс!
    ~+#Қате, формула теңдік белгісінен басталады.
    ~%-50%@
}

::Борбор::Кыргызстандын борбору — {=Бишкек =%50%Фрунзе#Бул эски аты.}.

::Соответствие::Сопоставьте программы и их назначение. {
    =Word -> текстовый редактор
    =Excel -> электронные таблицы
}
"""


def test_kazakh_kyrgyz_and_russian_text_read_unchanged():
    result = parse_gift(KAZAKH_KYRGYZ_RUSSIAN.encode("utf-8"))

    assert result.errors == []
    letters, spreadsheet, capital, matching = result.questions
    assert {q.category for q in result.questions} == {"АКТ құзыреттілігі/Кестелер"}
    assert letters.title == "Әріптер"
    assert letters.text == "Қазақ әліпбиінде ә, ғ, қ, ң, ө, ұ, ү, һ, і әріптері бар."
    assert letters.correct_answer is True
    assert spreadsheet.choices == [
        Choice("=", Decimal(1), "Дұрыс!"),
        Choice("+", Decimal(0), "Қате, формула теңдік белгісінен басталады."),
        Choice("@", Decimal("-0.5")),
    ]
    assert capital.text == f"Кыргызстандын борбору — {BLANK}."
    assert credits(capital) == [("Бишкек", 1), ("Фрунзе", Decimal("0.5"))]
    assert capital.choices[1].feedback == "Бул эски аты."
    assert matching.pairs[1] == MatchPair("Excel", "электронные таблицы")


# --- Errors -------------------------------------------------------------------------------------


def test_each_bad_question_is_reported_at_its_first_line_and_the_rest_still_parse():
    source = (
        "// 1: header\n"
        "Good one {T}\n"  # 2
        "\n"
        "// a comment before the bad question\n"  # 4
        "Which is a browser? {~Excel ~Word ~Paint}\n"  # 5: no correct choice
        "\n"
        "Good two {=ok}\n"  # 7
        "\n"
        "Credit {~%fifty%a =b}\n"  # 9
        "\n"
        "Pi is {#3,14}\n"  # 11
        "\n"
        "Match {=a -> 1}\n"  # 13
        "\n"
        "Good three {#2}\n"  # 15
    )
    result = parse_gift(source)

    assert [question.line for question in result.questions] == [2, 7, 15]
    assert error_lines_and_codes(result) == [
        (5, "no_correct_choice"),
        (9, "credit_not_a_number"),
        (11, "not_a_number"),
        (13, "too_few_pairs"),
    ]


def test_blank_line_inside_answers_reports_both_halves():
    source = "First {\n  =a\n\n  ~b\n}\n\nAfter {T}"
    result = parse_gift(source)

    assert error_lines_and_codes(result) == [(1, "unclosed_brace"), (4, "unopened_brace")]
    assert [question.text for question in result.questions] == ["After"]


def test_two_questions_without_a_blank_line_between_them_are_reported():
    result = parse_gift("Q1 {T}\nQ2 {F}\n\nQ3 {T}")

    assert error_lines_and_codes(result) == [(1, "extra_brace")]
    assert [question.text for question in result.questions] == ["Q3"]


def test_brace_problems():
    cases = {
        "Closing first } then {T}": "unopened_brace",
        "Nested {~a {b} =c}": "nested_brace",
        "::Unclosed title Q {T}": "unclosed_title",
        "::Only a title::": "empty_text",
        "{T}": "empty_text",
    }
    for source, code in cases.items():
        assert error_lines_and_codes(parse_gift(source)) == [(1, code)], source


def test_choice_credit_problems():
    cases = {
        "Q {~%150%a =b}": "credit_out_of_range",
        "Q {~%50 percent%a =b}": "credit_not_a_number",
        "Q {~%50%a ~%25%b ~c}": "credits_do_not_add_up",
        "Q {~only}": "too_few_choices",
        "Q {=only ~}": "too_few_choices",
        "Q {=%50%a ~b}": "no_correct_choice",
    }
    for source, code in cases.items():
        assert error_lines_and_codes(parse_gift(source)) == [(1, code)], source


def test_short_answer_and_numerical_problems():
    cases = {
        "Q {=%50%almost}": "no_full_credit_answer",
        "Q {=%50%}": "no_answers",
        "Q {#}": "no_numeric_answers",
        "Q {#~#only feedback}": "no_numeric_answers",
        "Q {#abc}": "not_a_number",
        "Q {#3:abc}": "not_a_number",
        "Q {#1..x}": "not_a_number",
        "Q {#3:-1}": "negative_tolerance",
        "Q {#5..1}": "range_reversed",
        "Q {#=%50%3}": "no_full_credit_answer",
    }
    for source, code in cases.items():
        assert error_lines_and_codes(parse_gift(source)) == [(1, code)], source


def test_matching_problems():
    cases = {
        "Match {=a -> 1}": "too_few_pairs",
        "Match {=a -> 1 = -> 2}": "too_few_pairs",
        "Match {=a -> 1 =b}": "pair_without_arrow",
        "Match {=a -> 1 =b -> }": "prompt_without_match",
    }
    for source, code in cases.items():
        assert error_lines_and_codes(parse_gift(source)) == [(1, code)], source


def test_error_messages_are_english_source_text_with_the_offending_value():
    result = parse_gift("Q {#3,14}\n\nQ {~%50%a ~%25%b ~c}\n\nQ {{}")

    with translation.override("en"):
        messages = [error.message for error in result.errors]

    assert messages == [
        "“3,14” is not a number. Use a dot as the decimal separator, as in 3.14.",
        "The positive credits of the choices add up to 75%, not 100%.",
        "There is a { inside the answers. Write a literal opening brace in text as \\{.",
    ]


def test_unusual_input_never_raises_and_no_question_is_lost_silently():
    fragments = [
        "",
        "::",
        "{",
        "}",
        "~",
        "=",
        "#",
        "%",
        "->",
        "..",
        ":",
        "\\",
        "T",
        "1",
        "x",
        "[html]",
    ]
    for pieces in product(fragments, repeat=3):
        source = "Q " + "".join(pieces)
        result = parse_gift(source)

        # One block in, so exactly one question or one error out.
        assert len(result.questions) + len(result.errors) == 1, source
