"""Offline evaluation of the Pulumi program: AWS-like mocks, registration capture, plan JSON."""
