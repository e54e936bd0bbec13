print("fjord")
