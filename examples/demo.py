"""A short demo of the engine (until the main job exists): the slides' four-pixel neuron and
one backward pass of the slides' 1-2-2-1 sigmoid network."""

import autograd as ag


def main():
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)
    x = ag.tensor([0.5, 0.0, -0.75, 0.75])
    s = (w * x).sum()
    print(f"four-pixel neuron: weighted sum = {s.item():.3f} (slides: -1.075)")
    s.backward()
    print(f"d sum / d weights = {w.grad.tolist()} (= the inputs: the slides' weight rule)")

    ag.manual_seed(0)
    w1, w2, w3 = (ag.randn(*shape, requires_grad=True) for shape in [(1, 2), (2, 2), (2, 1)])
    y = ag.tensor([[0.5]])
    out = ((y @ w1).sigmoid() @ w2).sigmoid() @ w3
    loss = 0.5 * ((out.sigmoid() - 1.0) ** 2).sum()
    loss.backward()
    print(f"1-2-2-1 network: E = {loss.item():.4f}, dE/dw3 = {w3.grad.data.ravel().round(4)}")


if __name__ == "__main__":
    main()
