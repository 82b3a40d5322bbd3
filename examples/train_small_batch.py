"""A small segmentation-style training script whose BatchNorm layers see batches of 2."""
import torch
import torch.nn as nn
from torch.nn import BatchNorm2d as BN
from torch.utils.data import DataLoader, TensorDataset

BATCH_SIZE = 2
EPS = 1e-3


class Block(nn.Module):
    def __init__(self, channels_in: int, channels_out: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels_in, channels_out, 3, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(channels_out, eps=EPS, momentum=0.1)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.norm(self.conv(x)))


model = nn.Sequential(
    Block(3, 64),
    nn.Conv2d(64, 48, 3, padding=1, bias=False),
    BN(48),
    nn.ReLU(inplace=True),
)

dataset = TensorDataset(torch.randn(16, 3, 64, 64), torch.zeros(16, dtype=torch.long))
train_loader = DataLoader(dataset, batch_size=BATCH_SIZE, shuffle=True)

optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for images, _ in train_loader:
    loss = model(images).square().mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
