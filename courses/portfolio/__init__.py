"""Each teacher's portfolio: what they completed, earned and wrote, their growth and their stage."""
