def seed_courses_demo() -> dict:
    return {}
