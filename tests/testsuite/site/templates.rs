//! The site takes its templates from the loaded repository: a data repository's
//! `templates/NAME.html` is read once, by the loader (with its link checks), and a file
//! that is the same as the built-in of its name (the project's own checkout) is no
//! override.

use crate::common::*;

fn clock(model: &rota::model::Model) -> rota::time::Clock {
    let today = rota::time::parse_date(TODAY).expect("a date");
    rota::time::Clock {
        now: rota::time::start_of_day(model.repo.config.timezone, today),
        today,
    }
}

/// Every file of the site of `model`, rendered with `site`.
fn render(
    site: &rota::output::site::Site,
    model: &rota::model::Model,
) -> rota::output::staging::Outputs {
    let options = rota::pipeline::Options::checking(clock(model), rota::rules::TradeAdvice::Skip);
    let checked = rota::pipeline::check(model, &options);
    site.render(
        model,
        &checked.schedule,
        &checked.findings,
        checked.clock,
        &checked.feeds,
    )
    .expect("renders")
}

#[test]
fn the_site_renders_the_template_the_loader_read() {
    let repo = TestRepo::new();
    repo.write(
        "templates/person.html",
        "{% extends \"base.html\" %}{% block main %}<h1>As loaded {{ person.name }}</h1>{% endblock main %}",
    );
    let model = rota::load::resolve::resolve(rota::load::load(repo.path()).expect("loads"));
    // Changed on disk after loading: the site does not read the folder again.
    repo.write(
        "templates/person.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Read twice</h1>{% endblock main %}",
    );
    let site = rota::output::site::Site::new(&model.repo).expect("templates compile");
    let files = render(&site, &model);
    let alice = String::from_utf8_lossy(&files["people/alice.html"]).into_owned();
    assert!(alice.contains("<h1>As loaded Alice</h1>"), "{alice}");
    assert!(!alice.contains("Read twice"), "{alice}");
}

#[test]
fn the_projects_own_templates_are_the_built_ins_not_overrides_of_them() {
    // The project's checkout holds the built-ins in templates/ (and an example data
    // repository): building from it gives the built-in site.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = rota::load::resolve::resolve(rota::load::load(root).expect("loads"));
    assert!(
        model.repo.templates.contains_key("base.html"),
        "the loader reads templates/"
    );
    let from_repo = render(
        &rota::output::site::Site::new(&model.repo).expect("compiles"),
        &model,
    );
    let built_in = render(
        &rota::output::site::Site::built_in().expect("compiles"),
        &model,
    );
    assert_eq!(from_repo.len(), built_in.len());
    for (rel, bytes) in &built_in {
        assert!(from_repo.get(rel) == Some(bytes), "{rel} differs");
    }
}
