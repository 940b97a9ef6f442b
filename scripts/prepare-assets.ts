console.log("assets placeholder")
