"""Agents at work: staffing with Erlang C and A, forecasts net of what the AI resolves."""
