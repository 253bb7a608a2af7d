import json

from classify.card import ModelCard, pipeline_params
from classify.pipelines import make_pipeline


def test_round_trip_through_json_and_unknown_fields_ignored():
    card = ModelCard(labels=["other", "military_movement"], classifier="ridge", metrics={"test": {"macro_f1": 0.5}})
    data = json.loads(json.dumps(card.to_dict()))
    data["format"] = "classify-model"  # persistence adds fields the card does not own
    again = ModelCard.from_dict(data)
    assert again == card
    assert again.test_metrics == {"macro_f1": 0.5}
    assert card.package_version and card.created.endswith("+00:00")


def test_pipeline_params_are_json_and_name_every_step():
    params = pipeline_params(make_pipeline("linear_svm"))
    assert list(params) == ["normalize", "features", "classifier"]
    assert params["classifier"]["type"] == "TemperatureCalibrated"
    assert params["classifier"]["estimator"] == "LinearSVC"
    json.dumps(params)
