"""names.py: which character a bare surname means when several share it."""

from __future__ import annotations

from storycast.model import Cast, Character
from storycast.text.names import Names


def test_a_bare_surname_means_the_one_who_goes_by_it_without_a_title():
    cast = Cast(
        characters=(
            Character("Owen Marsh", ("Owen", "Mr. Marsh"), "male"),
            Character("Mrs. Marsh", (), "female"),
        )
    )
    names = Names.from_cast(cast)
    assert names.resolve("Marsh") == "Owen Marsh"
    assert names.resolve("Mrs. Marsh") == "Mrs. Marsh"
    assert names.resolve("old Mrs. Marsh") == "Mrs. Marsh"


def test_a_surname_two_people_go_by_stays_unresolved():
    cast = Cast(
        characters=(
            Character("Nina Vale", (), "female"),
            Character("Tom Vale", (), "male"),
        )
    )
    assert Names.from_cast(cast).resolve("Vale") is None


def test_an_ambiguous_name_is_the_one_in_mind():
    cast = Cast(
        characters=(
            Character("Charles Hayter", (), "male"),
            Character("Charles Musgrove", (), "male"),
        )
    )
    names = Names.from_cast(cast)
    assert names.resolve("Charles") is None
    assert names.resolve("Charles", prefer=["Charles Musgrove"]) == "Charles Musgrove"
    assert names.resolve("Charles Hayter", prefer=["Charles Musgrove"]) == "Charles Hayter"


def test_a_name_at_the_head_of_a_place_or_firm_is_not_the_character():
    cast = Cast(characters=(Character("Bram Okafor", ("Okafor",), "male"),))
    names = Names.from_cast(cast)
    text = "They drove to Okafor Salvage, then down Bram Street to find Okafor himself."
    assert [name for _, name in names.mentions(text)] == ["Bram Okafor"]


def test_a_rank_alone_means_the_one_whose_name_carries_it():
    cast = Cast(
        characters=(
            Character("Count Orsini", (), "male"),
            Character("Dr. Pell", ("Hugo Pell",), "male"),
            Character("Aunt Bea", (), "female"),
            Character("Aunt Ros", (), "female"),
            Character("The Countess", (), "female"),
        )
    )
    names = Names.from_cast(cast)
    assert names.resolve("the count") == "Count Orsini"
    assert names.resolve("the Doctor") == "Dr. Pell"
    assert names.resolve("her aunt") is None  # two aunts and neither in mind
    assert names.resolve("her aunt", prefer=["Aunt Ros"]) == "Aunt Ros"
    assert names.resolve("the countess") == "The Countess"  # an alias still wins
    assert names.resolve("the old count") == "Count Orsini"
    assert names.resolve("the count's man") is None
    assert names.resolve("the colonel stood") is None  # no colonel; "stood" is a verb
    assert names.resolve("the count bowed") == "Count Orsini"


def test_a_foreign_honorific_alone_means_the_one_who_bears_it():
    cast = Cast(
        characters=(
            Character("Mademoiselle Roux", (), "female"),
            Character("Mlle. Blanc", (), "female"),
            Character("Signora Conti", (), "female"),
        )
    )
    names = Names.from_cast(cast)
    assert names.resolve("the Signora") == "Signora Conti"
    assert names.resolve("Mademoiselle", prefer=["Mlle. Blanc"]) == "Mlle. Blanc"
    assert names.resolve("Mademoiselle", prefer=["Mademoiselle Roux"]) == "Mademoiselle Roux"


def test_kin_is_the_one_of_the_family_by_surname_and_title():
    cast = Cast(
        characters=(
            Character("Nora Hale", ("Nora", "Miss Hale"), "female"),
            Character("Mrs. Hale", (), "female"),
            Character("Edith Hale", ("Edith",), "female"),
            Character("Mr. Hale", (), "male"),
            Character("Sam Price", ("Sam",), "male"),
            Character("Mrs. Price", (), "female"),
        )
    )
    names = Names.from_cast(cast)
    assert names.resolve("her mother", prefer=["Sam Price", "Nora Hale"]) == "Mrs. Hale"
    assert names.resolve("her father", prefer=["Nora Hale"]) == "Mr. Hale"
    assert names.resolve("his mother", prefer=["Nora Hale", "Sam Price"]) == "Mrs. Price"
    assert names.resolve("her sister", prefer=["Edith Hale", "Nora Hale"]) == "Nora Hale"
    assert names.resolve("his wife", prefer=["Mr. Hale"]) == "Mrs. Hale"
    assert names.resolve("her mother") is None  # nobody in mind to be her


def test_a_spouse_shares_the_married_name_and_a_parent_the_maiden_one():
    cast = Cast(
        characters=(
            Character("Ada Stone", ("Miss Stone", "Mrs. Clay"), "female"),
            Character("Mr. Stone", (), "male"),
            Character("Mr. Clay", ("Ned Clay",), "male"),
            Character("A Friend of Mrs. Stone", (), "female"),
        )
    )
    names = Names.from_cast(cast)
    assert names.resolve("her father", prefer=["Ada Stone"]) == "Mr. Stone"
    assert names.resolve("her husband", prefer=["Ada Stone"]) == "Mr. Clay"
    assert names.resolve("his sister", prefer=["Mr. Stone"]) == "Ada Stone"
