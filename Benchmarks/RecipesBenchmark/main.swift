// Placeholder; the recipes benchmark is written here.
print("recipes benchmark: not written yet")
