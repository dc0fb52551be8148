"""Thi Đua: công tác thi đua, khen thưởng."""
