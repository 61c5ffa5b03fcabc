"""
What rules work with and produce (Context, Rule, Finding, Report), the national rules and
indicators, declarative test cases.
"""
