print("digit")
