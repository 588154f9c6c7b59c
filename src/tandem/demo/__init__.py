"""The demo company, Pebble & Pine: an online home-goods shop."""

from pathlib import Path

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"
ACTIONS_DIR = Path(__file__).parent / "actions"
COMPANY_NAME = "Pebble & Pine"
GOLDEN_QUESTIONS = Path(__file__).parent / "golden_questions.yaml"
INTENT_EXAMPLES = Path(__file__).parent / "nlu" / "train.csv"
